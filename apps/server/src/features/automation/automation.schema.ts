/**
 * The shapes of automation rules, macros and canned responses: triggers, conditions and actions
 * are discriminated unions (by `type` or `field`), each variant a strict object. The same schemas
 * document the API and check what is saved; `checkVariant` checks a value against the one variant
 * its discriminant names, so an error names the exact field (`actions[1].priority`) instead of
 * "matches no branch of the union".
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';
import { Tag } from '../conversations/conversations.schema.js';

/** One of a few strings, as an enum (a refusal says which values are allowed, not that no branch matched). */
const lit = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const Priority = lit(['low', 'normal', 'high', 'urgent'] as const);

export const STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
const SettableStatus = lit(['open', 'pending', 'resolved'] as const);
const Words = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 });
const Tags = Type.Array(Tag, { minItems: 1, maxItems: 20 });
export const TEMPLATE_MAX = 5000;
const TemplateBody = Type.String({ minLength: 1, maxLength: TEMPLATE_MAX, description: 'Text with variables such as {{contact.first_name}}' });
/** A time-based trigger waits at least a minute and at most 90 days. */
export const MAX_WAIT_MINUTES = 90 * 24 * 60;

// —— triggers ——
export const TRIGGER_VARIANTS = {
  conversation_created: Obj({ type: Type.Literal('conversation_created') }, { description: 'A customer started a conversation (their first message)' }),
  message_received: Obj({ type: Type.Literal('message_received') }, { description: 'A customer wrote' }),
  status_changed: Obj({ type: Type.Literal('status_changed'), to: Type.Optional(lit(STATUSES)) }, { description: 'The status changed (to the given one, if any)' }),
  assignee_changed: Obj({ type: Type.Literal('assignee_changed') }),
  priority_changed: Obj({ type: Type.Literal('priority_changed') }),
  tags_changed: Obj({ type: Type.Literal('tags_changed') }),
  sla_warning: Obj({ type: Type.Literal('sla_warning') }, { description: 'An SLA target is about to be missed' }),
  sla_breached: Obj({ type: Type.Literal('sla_breached') }, { description: 'An SLA target was missed' }),
  mood_changed: Obj({ type: Type.Literal('mood_changed') }, { description: "The conversation's mood or its trend changed with a customer's message" }),
  time_in_state: Obj(
    {
      type: Type.Literal('time_in_state'),
      state: lit(['pending', 'open', 'open_unassigned', 'snoozed'] as const),
      minutes: Type.Integer({ minimum: 1, maximum: MAX_WAIT_MINUTES }),
    },
    { description: 'The conversation has been in a state this long ("pending for 3 days"); fires once per entry into the state' },
  ),
} as const;
export type TriggerType = keyof typeof TRIGGER_VARIANTS;
export type Trigger = { [K in TriggerType]: Static<(typeof TRIGGER_VARIANTS)[K]> }[TriggerType];

// —— conditions ——
export const MOOD_OPERATORS = ['in', 'not_in', 'worse_than'] as const;
/** The four moods, and negative/positive as rules saved before the model had four moods named them. */
export const MOOD_VALUES = ['angry', 'frustrated', 'neutral', 'happy', 'negative', 'positive'] as const;
const inOut = lit(['in', 'not_in'] as const);
export const CONDITION_VARIANTS = {
  channel: Obj({ field: Type.Literal('channel'), operator: inOut, values: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 20 }) }),
  inbox: Obj({ field: Type.Literal('inbox'), operator: inOut, values: Type.Array(Uuid, { minItems: 1, maxItems: 50 }) }),
  message: Obj({ field: Type.Literal('message'), operator: lit(['contains_any', 'contains_none'] as const), values: Words }, { description: "Words or phrases in the customer's message (ignoring case)" }),
  tags: Obj({ field: Type.Literal('tags'), operator: lit(['has_any', 'has_all', 'has_none'] as const), values: Tags }),
  priority: Obj({ field: Type.Literal('priority'), operator: inOut, values: Type.Array(Priority, { minItems: 1, maxItems: 4 }) }),
  status: Obj({ field: Type.Literal('status'), operator: inOut, values: Type.Array(lit(STATUSES), { minItems: 1, maxItems: 4 }) }),
  assignee: Obj({ field: Type.Literal('assignee'), operator: lit(['assigned', 'unassigned'] as const) }),
  contact: Obj(
    {
      field: Type.Literal('contact'),
      attribute: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_.-]+$', description: 'name, email, phone, company or an attribute the chat learnt (language, page…)' }),
      operator: lit(['equals', 'contains', 'is_set', 'is_not_set'] as const),
      value: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { description: 'A contact attribute; equals and contains need a value' },
  ),
  business_hours: Obj({ field: Type.Literal('business_hours'), operator: lit(['within', 'outside'] as const) }, { description: "The conversation's inbox is within (or outside) its business hours" }),
  mood: Obj(
    { field: Type.Literal('mood'), operator: lit(MOOD_OPERATORS), values: Type.Array(lit(MOOD_VALUES), { minItems: 1, maxItems: 6 }) },
    { description: "The conversation's mood (features/mood): in or not in the moods given, or worse than the mood given (worse than all of them, given several). negative means angry or frustrated, positive happy. Never matches before the customer's first message is read" },
  ),
  mood_trend: Obj({ field: Type.Literal('mood_trend'), operator: inOut, values: Type.Array(lit(['worsening', 'improving', 'steady'] as const), { minItems: 1, maxItems: 3 }) }, { description: "Where the conversation's mood is heading with the customer's latest message" }),
} as const;
export type ConditionField = keyof typeof CONDITION_VARIANTS;
export type Condition = { [K in ConditionField]: Static<(typeof CONDITION_VARIANTS)[K]> }[ConditionField];

// —— actions ——
export const ACTION_VARIANTS = {
  assign: Obj({ type: Type.Literal('assign'), user_id: Nullable(Uuid) }, { description: 'Assign to a teammate (null: unassign)' }),
  assign_team: Obj({ type: Type.Literal('assign_team'), team_id: Nullable(Uuid) }),
  add_tags: Obj({ type: Type.Literal('add_tags'), tags: Tags }),
  remove_tags: Obj({ type: Type.Literal('remove_tags'), tags: Tags }),
  set_priority: Obj({ type: Type.Literal('set_priority'), priority: Priority }),
  set_status: Obj({ type: Type.Literal('set_status'), status: SettableStatus }),
  snooze: Obj({ type: Type.Literal('snooze'), minutes: Type.Integer({ minimum: 1, maximum: MAX_WAIT_MINUTES }) }),
  reply: Obj({ type: Type.Literal('reply'), body: TemplateBody }, { description: "A reply to the customer, sent by the conversation's channel" }),
  note: Obj({ type: Type.Literal('note'), body: TemplateBody }, { description: 'A private note for the team' }),
  webhook: Obj({ type: Type.Literal('webhook'), webhook_id: Uuid }, { description: 'A signed delivery to one of the workspace’s webhooks (Settings → Webhooks)' }),
} as const;
export type ActionType = keyof typeof ACTION_VARIANTS;
export type Action = { [K in ActionType]: Static<(typeof ACTION_VARIANTS)[K]> }[ActionType];
/** Macros do what an agent does by hand; a webhook is a rule's business. */
export const MACRO_ACTION_VARIANTS = Object.fromEntries(Object.entries(ACTION_VARIANTS).filter(([k]) => k !== 'webhook')) as Omit<typeof ACTION_VARIANTS, 'webhook'>;

const union = (variants: Record<string, TSchema>) => Type.Union(Object.values(variants));
export const TriggerSchema = union(TRIGGER_VARIANTS);
export const ConditionSchema = union(CONDITION_VARIANTS);
export const ActionSchema = union(ACTION_VARIANTS);
export const MacroActionSchema = union(MACRO_ACTION_VARIANTS);

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Match = lit(['all', 'any'] as const);

/** Rule bodies as the API documents them (checked field by field by `checkRuleInput`). */
export const RuleInput = Obj({
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 500 })),
  enabled: Type.Optional(Type.Boolean()),
  trigger: TriggerSchema,
  match: Type.Optional(Match),
  conditions: Type.Optional(Type.Array(ConditionSchema, { maxItems: 20 })),
  actions: Type.Array(ActionSchema, { minItems: 1, maxItems: 10 }),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
});
export const RulePatch = Type.Partial(RuleInput, { additionalProperties: false });
/** The envelope of a rule, with the unions left to `checkVariant`. */
export const RuleEnvelope = Obj({
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 500 })),
  enabled: Type.Optional(Type.Boolean()),
  trigger: Type.Unknown(),
  match: Type.Optional(Match),
  conditions: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 20 })),
  actions: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10 }),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
});
export type RuleFields = { name: string; description?: string; enabled?: boolean; trigger: Trigger; match?: 'all' | 'any'; conditions?: Condition[]; actions: Action[]; position?: number };

export const Rule = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  trigger: TriggerSchema,
  match: Match,
  conditions: Type.Array(ConditionSchema),
  actions: Type.Array(ActionSchema),
  position: Type.Integer(),
  last_run: Nullable(Type.Object({ outcome: Type.String(), created_at: Timestamp })),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const Run = Type.Object({
  id: Uuid,
  conversation_id: Nullable(Uuid),
  trigger: Type.String({ description: 'What fired the rule' }),
  outcome: lit(['done', 'skipped', 'failed'] as const),
  actions: Type.Array(Type.Object({ type: Type.String(), outcome: Type.String(), detail: Type.String() }), { description: 'What each action did' }),
  error: Nullable(Type.String()),
  depth: Type.Integer({ description: 'How many rules ran before this one in a chain of reactions' }),
  created_at: Timestamp,
});

export const MacroInput = Obj({
  name: Name,
  shared: Type.Optional(Type.Boolean({ description: 'Shared with the workspace (admins only) or yours alone (the default)' })),
  actions: Type.Array(MacroActionSchema, { minItems: 1, maxItems: 10 }),
});
export const MacroEnvelope = Obj({ name: Name, shared: Type.Optional(Type.Boolean()), actions: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10 }) });
export const MacroPatch = Obj({ name: Type.Optional(Name), actions: Type.Optional(Type.Array(MacroActionSchema, { minItems: 1, maxItems: 10 })) });
export const MacroPatchEnvelope = Obj({ name: Type.Optional(Name), actions: Type.Optional(Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10 })) });

export const Macro = Type.Object({ id: Uuid, name: Type.String(), shared: Type.Boolean(), actions: Type.Array(MacroActionSchema), created_at: Timestamp, updated_at: Timestamp });

const Shortcut = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$', description: 'Typed after / in the composer: letters, digits, - and _' });
export const CannedInput = Obj({ shortcut: Shortcut, title: Type.String({ minLength: 1, maxLength: 100 }), body: TemplateBody, shared: Type.Optional(Type.Boolean({ description: 'Shared with the workspace (admins only) or yours alone (the default)' })) });
export const CannedPatch = Obj({ shortcut: Type.Optional(Shortcut), title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), body: Type.Optional(TemplateBody) });
export const Canned = Type.Object({
  id: Uuid,
  shortcut: Type.String(),
  title: Type.String(),
  body: Type.String(),
  shared: Type.Boolean(),
  rendered: Type.Optional(Type.String({ description: 'The body with its variables filled in from conversation_id' })),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const AutoClose = Type.Object({
  enabled: Type.Boolean(),
  after_minutes: Type.Integer({ minimum: 1, maximum: MAX_WAIT_MINUTES, description: 'Close conversations pending this long' }),
  message: Type.String({ maxLength: TEMPLATE_MAX, description: 'Sent to the customer as the conversation closes (empty: none); variables allowed' }),
});
