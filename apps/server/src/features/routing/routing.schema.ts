/**
 * The routing API's shapes, and the checks a schema cannot word well: a bad mode, capacity or
 * skill answers 422 `invalid_routing` naming the field and saying what would do.
 */
import { Type } from '@sinclair/typebox';
import type { Capacity, ChannelKind, RoutingMode } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';
import { SKILL_PATTERN } from './chooser.js';

export const MODES: readonly RoutingMode[] = ['manual', 'round_robin', 'least_loaded'];
export const MAX_CAPACITY = 100;
export const MAX_SKILLS = 30;

const ModeField = Type.String({ maxLength: 40, description: 'manual (assigned by hand), round_robin (each online agent in turn) or least_loaded (the agent with the most room)' });
const CapacityNumbers = Obj({ chat: Type.Integer(), email: Type.Integer(), messaging: Type.Integer(), phone: Type.Integer() });
const CapacityValue = (kind: ChannelKind) => Type.Optional(Nullable(Type.Integer({ description: `Open ${kind} conversations at once; null: the workspace default` })));
const CapacityInput = Obj({ chat: CapacityValue('chat'), email: CapacityValue('email'), messaging: CapacityValue('messaging'), phone: CapacityValue('phone') });
const CapacityOrDefault = Type.Object({ chat: Nullable(Type.Integer()), email: Nullable(Type.Integer()), messaging: Nullable(Type.Integer()), phone: Nullable(Type.Integer()) });

export const InboxRouting = Type.Object({
  inbox_id: Uuid,
  mode: Type.String(),
  hand_on_offline: Type.Boolean({ description: 'When an agent goes offline, their open chats go back to routing' }),
  team_id: Nullable(Type.String({ description: 'The team this inbox hands its conversations to (its members are picked)' })),
  channel_kind: Type.String({ description: 'Which capacity this inbox counts against: chat, email, messaging or phone' }),
});
export const InboxRoutingBody = Obj({ mode: ModeField, hand_on_offline: Type.Optional(Type.Boolean()), team_id: Type.Optional(Nullable(Uuid)) });

export const TeamRouting = Type.Object({ team_id: Uuid, mode: Type.String(), hand_on_offline: Type.Boolean() });
export const TeamRoutingBody = Obj({ mode: ModeField, hand_on_offline: Type.Optional(Type.Boolean()) });

export const UserRouting = Type.Object({
  user_id: Uuid,
  capacity: CapacityOrDefault,
  effective_capacity: CapacityNumbers,
  default_capacity: CapacityNumbers,
  load: Type.Object(
    { chat: Type.Integer(), email: Type.Integer(), messaging: Type.Integer(), phone: Type.Integer() },
    { description: 'The open conversations of each kind assigned to them now (what routing weighs against their capacity)' },
  ),
  skills: Type.Array(Type.String()),
});
export const UserRoutingBody = Obj({
  capacity: Type.Optional(CapacityInput),
  skills: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200, description: 'Tags such as lang:de or product:bikes, matched against the customer’s language, the tags and contact attributes' })),
});

export const RoutingDefaults = Type.Object({ capacity: CapacityNumbers });
export const RoutingDefaultsBody = Obj({ capacity: CapacityInput });

export const Assignment = Type.Object({
  id: Uuid,
  assignee: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  rule: Type.String({ description: 'round_robin, least_loaded, or handed_on (taken back when the agent went offline)' }),
  reason: Type.String({ description: 'Why this agent, e.g. "least loaded: 1 of 3 chats; online; skill lang:de"' }),
  team_id: Nullable(Type.String()),
  created_at: Timestamp,
});

type Problem = { field: string; message: string };
/** One problem is said as a sentence ("The mode must be …", "\"x!\" is not a skill: …"); several point to their fields. */
const sentenceOf = (p: Problem) => (p.message.startsWith('"') ? `${p.message}.` : `The ${p.field.replace(/\./g, ' ')} ${p.message}.`);
const invalid = (problems: Problem[]) => new AppError('invalid_routing', problems.length === 1 ? sentenceOf(problems[0]) : 'Some routing settings are not valid; see each field.', problems);

export function checkedMode(mode: string): RoutingMode {
  if (!(MODES as readonly string[]).includes(mode)) throw invalid([{ field: 'mode', message: `must be one of ${MODES.join(', ')}` }]);
  return mode as RoutingMode;
}

/** Capacities as given (null: back to the default); negative or huge numbers are refused. */
export function checkedCapacity(input: Partial<Record<ChannelKind, number | null>>): Capacity {
  const problems: Problem[] = [];
  const out: Capacity = {};
  for (const [kind, value] of Object.entries(input) as Array<[ChannelKind, number | null | undefined]>) {
    if (value === undefined || value === null) continue;
    if (value < 0 || value > MAX_CAPACITY) problems.push({ field: `capacity.${kind}`, message: `must be between 0 and ${MAX_CAPACITY} (0: takes no ${kind} conversations)` });
    else out[kind] = value;
  }
  if (problems.length) throw invalid(problems);
  return out;
}

/** Skills lowercased and without repeats; odd characters are refused naming the skill. */
export function checkedSkills(skills: string[]): string[] {
  const out = [...new Set(skills.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const bad = out.filter((s) => !SKILL_PATTERN.test(s));
  if (bad.length) throw invalid(bad.map((s) => ({ field: 'skills', message: `"${s}" is not a skill: use letters, digits, - and _, optionally a namespace and a value (lang:de, product:bikes)` })));
  if (out.length > MAX_SKILLS) throw invalid([{ field: 'skills', message: `may hold at most ${MAX_SKILLS} skills` }]);
  return out;
}
