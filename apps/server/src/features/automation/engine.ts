/**
 * Runs automation rules. Event triggers come from the reactions dispatcher (core/reactions.ts):
 * each outbox event is reacted to once, inside the transaction that claims it. Time-based
 * triggers come from a sweep (time-triggers.ts). Either way a rule runs through `runRule`:
 *
 * - once per rule, conversation and event (or entry into a state): its run row, written first
 *   under a unique key, settles repeats; a run that passed on an event is not kept (see runRule);
 * - never in reaction to its own actions, and never deeper than MAX_DEPTH rules in a chain: while a
 *   rule's actions run, the transaction's setting rapport.automation_cause names the chain, and a
 *   trigger (migration 0020) copies it into every outbox event written meanwhile;
 * - its actions inside a savepoint: a rule that throws is rolled back, conversation untouched,
 *   and logged as failed with the reason; the other rules go on.
 */
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { isConversationStart, type ReactionEvent, type Reactor } from '../../core/reactions.js';
import { availabilityAt } from '../business-hours/schedule.js';
import { findConversation } from '../conversations/conversations.queries.js';
import { runActions } from './actions.js';
import { systemActor } from '../conversations/commands/update-conversation.js';
import type { Condition, TriggerType } from './automation.schema.js';
import { RULE_COLUMNS, type ActionOutcome, type RuleRow } from './automation.presenter.js';
import { evaluateConditions, type Facts } from './conditions.js';

/** Rules in a chain of reactions (A's change fires B, whose change fires C…) before it is cut. */
export const MAX_DEPTH = 3;

export interface Cause {
  rules: string[];
  depth: number;
}

/** Which rules caused an event (empty for a person's or a customer's doing). */
export function causeOf(payload: Record<string, unknown>): Cause {
  const c = payload.automation as Partial<Cause> | undefined;
  return { rules: Array.isArray(c?.rules) ? c.rules.filter((r): r is string => typeof r === 'string') : [], depth: typeof c?.depth === 'number' ? c.depth : 0 };
}

/** What changed in a conversation.updated event, by the names rules use. */
function changedOf(payload: Record<string, unknown>): string[] {
  const changed = payload.changes ?? payload.changed;
  if (Array.isArray(changed)) return changed.filter((c): c is string => typeof c === 'string');
  if (changed && typeof changed === 'object') return Object.keys(changed);
  return [];
}

/** The triggers an event is, with the words the run log uses for each. */
export function triggersOf(e: ReactionEvent): Array<{ type: TriggerType; label: string; status?: string }> {
  const p = e.payload;
  switch (e.event) {
    case 'message.created': {
      const m = p.message as { direction?: string; kind?: string; private?: boolean } | undefined;
      if (m?.direction !== 'incoming' || m.kind === 'system') return [];
      return [...(isConversationStart(e) ? [{ type: 'conversation_created' as const, label: 'conversation created' }] : []), { type: 'message_received', label: 'message received' }];
    }
    case 'conversation.updated': {
      const changed = changedOf(p);
      const status = (p.conversation as { status?: string } | undefined)?.status;
      const out: Array<{ type: TriggerType; label: string; status?: string }> = [];
      if (changed.includes('status')) out.push({ type: 'status_changed', label: `status changed to ${status}`, status });
      if (changed.includes('assignee') || changed.includes('assignee_id')) out.push({ type: 'assignee_changed', label: 'assignee changed' });
      if (changed.includes('priority')) out.push({ type: 'priority_changed', label: 'priority changed' });
      if (changed.includes('tags')) out.push({ type: 'tags_changed', label: 'tags changed' });
      if (changed.includes('mood') || changed.includes('mood_trend')) {
        const c = p.conversation as { mood?: string | null; mood_trend?: string | null } | undefined;
        out.push({ type: 'mood_changed', label: `mood changed to ${c?.mood ?? 'unknown'}${c?.mood_trend === 'worsening' ? ', getting worse' : ''}` });
      }
      return out;
    }
    case 'sla.warning':
      return [{ type: 'sla_warning', label: `SLA warning${typeof p.target === 'string' ? ` (${p.target})` : ''}` }];
    case 'sla.breached':
      return [{ type: 'sla_breached', label: `SLA breached${typeof p.target === 'string' ? ` (${p.target})` : ''}` }];
    default:
      return [];
  }
}

export interface Firing {
  conversationId: string;
  /** The run log's words for what fired the rule. */
  trigger: string;
  /** One run per rule, conversation and key (the event, or the entry into a state). */
  dedupeKey: string;
  eventId: number | null;
  cause: Cause;
  /** The customer's message, for conditions on its words. */
  message: string | null;
  mood: string | null;
}

async function gatherFacts(trx: Transaction<DB>, accountId: string, conversationId: string, firing: Firing): Promise<Facts | null> {
  const c = await findConversation(trx, systemActor(accountId), conversationId);
  if (!c) return null;
  const ws = scoped(trx, accountId);
  const contact = await ws.selectFrom('contacts').select(['name', 'email', 'phone', 'company', 'attributes']).where('id', '=', c.contact_id).executeTakeFirst();
  const inbox = await ws.selectFrom('inboxes').select(['business_hours']).where('id', '=', c.inbox_id).executeTakeFirst();
  return {
    channel: c.channel,
    inboxId: c.inbox_id,
    message: firing.message,
    tags: c.tags,
    priority: c.priority,
    status: c.status,
    assigneeId: c.assignee_id,
    contact: { name: contact?.name ?? null, email: contact?.email ?? null, phone: contact?.phone ?? null, company: contact?.company ?? null, attributes: contact?.attributes ?? {} },
    withinBusinessHours: availabilityAt(inbox?.business_hours ?? null, new Date()).open,
    // The conversation's mood as the mood reactor (which runs first) left it; a mood the event
    // itself carries is the fallback.
    mood: c.mood ?? firing.mood,
    moodTrend: c.mood_trend ?? null,
  };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/**
 * What the rules of one firing read about its conversation, read once and again only after a rule
 * changed something (the next rule sees that change), instead of three queries per rule.
 */
export interface FactsCache {
  facts?: Facts | null;
}

/**
 * Runs one rule for one firing, inside `trx`. Answers whether its actions ran.
 *
 * The log keeps runs that did something, failed, or were cut in a chain of reactions. A rule that
 * passes on an event (its conditions do not hold, the event is its own doing) leaves no row, or
 * the log would grow with every message; the event is reacted to once anyway (core/reactions.ts).
 * A time-based firing keeps its row whatever it did: that row is what stops the rule firing again
 * for the same entry into the state.
 */
export async function runRule(trx: Transaction<DB>, ctx: AppContext, rule: RuleRow & { account_id: string }, firing: Firing, shared: FactsCache = {}): Promise<boolean> {
  const ws = scoped(trx, rule.account_id);
  const claimed = await ws
    .insertInto('automation_runs', { rule_id: rule.id, conversation_id: firing.conversationId, event_id: firing.eventId, trigger: firing.trigger, dedupe_key: firing.dedupeKey, outcome: 'skipped', depth: firing.cause.depth, actions: '[]' })
    .onConflict((oc) => oc.columns(['rule_id', 'conversation_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return false;
  const finish = (outcome: 'done' | 'skipped' | 'failed', actions: ActionOutcome[], error: string | null) =>
    ws.updateTable('automation_runs').set({ outcome, actions: JSON.stringify(actions), error }).where('id', '=', claimed.id).execute();
  const pass = async (reason: string) => {
    if (firing.eventId === null) await finish('skipped', [], reason);
    else await ws.deleteFrom('automation_runs').where('id', '=', claimed.id).execute();
    return false;
  };

  if (firing.cause.rules.includes(rule.id)) return pass('This event came from this rule’s own actions; a rule never reacts to itself.');
  if (firing.cause.depth >= MAX_DEPTH) {
    // Kept: a cut chain means rules set each other off, which whoever keeps them should see.
    await finish('skipped', [], `Cut: ${firing.cause.depth} rules already ran in this chain of reactions (at most ${MAX_DEPTH}).`);
    return false;
  }
  if (shared.facts === undefined) shared.facts = await gatherFacts(trx, rule.account_id, firing.conversationId, firing);
  const facts = shared.facts;
  if (!facts) return pass('The conversation no longer exists.');
  const evaluation = evaluateConditions(rule.conditions as Condition[], facts, rule.match);
  if (!evaluation.matched) return pass(`Conditions not met: ${evaluation.unmet.join('; ')}.`);

  const cause: Cause = { rules: [...firing.cause.rules, rule.id], depth: firing.cause.depth + 1 };
  await sql`savepoint automation_rule`.execute(trx);
  try {
    await sql`select set_config('rapport.automation_cause', ${JSON.stringify(cause)}, true)`.execute(trx);
    const result = await runActions({ ctx, trx, actor: { ...systemActor(rule.account_id, rule.name), type: 'automation', ruleId: rule.id }, author: { type: 'system' }, conversationId: firing.conversationId, lenient: true, rule: { id: rule.id, name: rule.name } }, rule.actions);
    await sql`select set_config('rapport.automation_cause', '', true)`.execute(trx);
    await sql`release savepoint automation_rule`.execute(trx);
    await finish('done', result.outcomes, null);
    shared.facts = undefined;
    for (const queue of result.queues) ctx.jobs.notify(queue);
    return true;
  } catch (err) {
    // Everything the rule did is undone (the setting with it); the log says why.
    await sql`rollback to savepoint automation_rule`.execute(trx);
    await sql`select set_config('rapport.automation_cause', '', true)`.execute(trx);
    await finish('failed', [], errorText(err));
    return false;
  }
}

/** A workspace's enabled rules for some triggers, in order. */
export async function rulesFor(trx: Transaction<DB>, accountId: string, types: TriggerType[]): Promise<Array<RuleRow & { account_id: string }>> {
  if (!types.length) return [];
  const rows = await scoped(trx, accountId)
    .selectFrom('automation_rules')
    .select([...RULE_COLUMNS, 'account_id'])
    .where('enabled', '=', true)
    .where(sql<boolean>`trigger->>'type' in (${sql.join(types)})`)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  return rows as Array<RuleRow & { account_id: string }>;
}

export const automationReactor: Reactor = {
  name: 'automation',
  events: ['message.created', 'conversation.updated', 'sla.warning', 'sla.breached'],
  async react(trx, ctx, e) {
    if (!e.conversationId) return;
    const triggers = triggersOf(e);
    const rules = await rulesFor(trx, e.accountId, triggers.map((t) => t.type));
    if (!rules.length) return;
    const message = e.event === 'message.created' ? ((e.payload.message as { content?: string } | undefined)?.content ?? null) : null;
    const mood = e.event === 'message.created' ? moodOf(e.payload.message) : null;
    const shared: FactsCache = {};
    for (const rule of rules) {
      const trigger = triggers.find((t) => t.type === rule.trigger.type && (rule.trigger.type !== 'status_changed' || !rule.trigger.to || rule.trigger.to === t.status));
      if (!trigger) continue;
      await runRule(trx, ctx, rule, { conversationId: e.conversationId, trigger: trigger.label, dedupeKey: `event:${e.id}`, eventId: e.id, cause: causeOf(e.payload), message, mood }, shared);
    }
  },
};

/** A mood measured on the message, when something measured one. */
function moodOf(message: unknown): string | null {
  const m = message as { mood?: unknown; sentiment?: unknown } | undefined;
  const mood = m?.mood ?? m?.sentiment;
  return typeof mood === 'string' ? mood : null;
}
