/** Reads and writes of SLA policies and each conversation's clock, always scoped to the workspace. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { PREFIX, SLA_TARGETS, type ConversationFacts, type SlaPolicy, type SlaState, type SlaSummary, type Timer } from './sla-clock.js';

type Db = Kysely<DB> | Transaction<DB>;

export const POLICY_COLUMNS = [
  'id',
  'name',
  'position',
  'enabled',
  'priorities',
  'inbox_ids',
  'tags',
  'companies',
  'first_response_minutes',
  'next_response_minutes',
  'resolution_minutes',
  'warning_percent',
  'warning_minutes',
  'business_hours',
  'created_at',
  'updated_at',
] as const;

export type PolicyRow = SlaPolicy & { created_at: Date; updated_at: Date };

export function policiesOf(db: Db, accountId: string): Promise<PolicyRow[]> {
  return scoped(db, accountId).selectFrom('sla_policies').select(POLICY_COLUMNS).orderBy('position').orderBy('created_at').execute();
}

const TIMER_FIELDS = ['started_at', 'paused_minutes', 'due_at', 'warn_at', 'warned_at', 'breached_at', 'met_at'] as const;
type Row = Record<string, unknown>;

export async function stateOf(db: Db, accountId: string, conversationId: string): Promise<SlaState | null> {
  const row = (await scoped(db, accountId).selectFrom('conversation_slas').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst()) as Row | undefined;
  return toState(row);
}

/** Writes the clock and the summary columns the conversation list reads (one join, no per-row work). */
export async function saveState(trx: Transaction<DB>, accountId: string, conversationId: string, state: SlaState, summary: SlaSummary): Promise<void> {
  const columns: Row = { policy_id: state.policy_id, paused_since: state.paused_since };
  for (const t of SLA_TARGETS) for (const f of TIMER_FIELDS) columns[`${PREFIX[t]}_${f}`] = state.timers[t][f];
  const breachedAt = summary.target ? state.timers[summary.target].breached_at : null;
  Object.assign(columns, { next_target: summary.target, next_due_at: summary.due_at, next_warn_at: summary.warn_at, next_breached_at: breachedAt, next_check_at: summary.next_check_at, updated_at: new Date() });
  await scoped(trx, accountId)
    .insertInto('conversation_slas', { ...columns, conversation_id: conversationId } as never)
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(columns as never))
    .execute();
}

export async function deleteState(trx: Transaction<DB>, accountId: string, conversationId: string): Promise<void> {
  await scoped(trx, accountId).deleteFrom('conversation_slas').where('conversation_id', '=', conversationId).execute();
}

export interface ApplyInput {
  facts: ConversationFacts & { team_id: string | null };
  prev: SlaState | null;
  /** The stored time the sweep looks again (null: none, or no clock yet). */
  prevCheckAt: Date | null;
  /** The workspace's SLA settings version (sla-settings.ts): which policies and hours are current. */
  settingsVersion: string;
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** A clock row (as JSON or as columns) as the clock's state; null without a policy. */
function toState(clock: Row | null | undefined): SlaState | null {
  if (!clock?.policy_id) return null;
  const timers = Object.fromEntries(
    SLA_TARGETS.map((t) => [t, Object.fromEntries(TIMER_FIELDS.map((f) => [f, f === 'paused_minutes' ? Number(clock[`${PREFIX[t]}_${f}`] ?? 0) : date(clock[`${PREFIX[t]}_${f}`])])) as unknown as Timer]),
  ) as SlaState['timers'];
  return { policy_id: clock.policy_id as string, paused_since: date(clock.paused_since), timers };
}

/**
 * What the SLA clock reads of the conversation, after locking it (so its writers and a timer on
 * another node take turns): the conversation, its customer's company, its clock, and the
 * workspace's settings version. Every table is filtered by the account by hand.
 */
export async function loadForApply(trx: Transaction<DB>, accountId: string, conversationId: string): Promise<ApplyInput | null> {
  // The lock first, on its own: the read after it takes a fresh snapshot, so it sees the clock a
  // timer on another connection has just written (one statement would read it as it was before
  // the wait, and fire a breach again).
  const locked = await scoped(trx, accountId).selectFrom('conversations').select('id').where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!locked) return null;
  const { rows } = await sql<Row>`
    select cv.status, cv.priority, cv.inbox_id, cv.team_id, cv.tags, cv.created_at, cv.first_response_at, cv.waiting_since, cv.resolved_at,
      c.company, to_jsonb(s) as clock, a.sla_settings_version::text as settings_version
    from conversations cv
    join accounts a on a.id = cv.account_id
    join contacts c on c.id = cv.contact_id and c.account_id = cv.account_id
    left join conversation_slas s on s.conversation_id = cv.id and s.account_id = cv.account_id
    where cv.id = ${conversationId} and cv.account_id = ${accountId}`.execute(trx);
  const r = rows[0];
  if (!r) return null;
  const facts = {
    status: r.status,
    priority: r.priority,
    inbox_id: r.inbox_id,
    team_id: r.team_id,
    tags: r.tags,
    created_at: date(r.created_at)!,
    first_response_at: date(r.first_response_at),
    waiting_since: date(r.waiting_since),
    resolved_at: date(r.resolved_at),
    company: r.company,
  } as ApplyInput['facts'];
  const clock = r.clock as Row | null;
  return { facts, prev: toState(clock), prevCheckAt: date(clock?.next_check_at), settingsVersion: r.settings_version as string };
}
