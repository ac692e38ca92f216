/** Reads and writes of SLA policies and each conversation's clock, always scoped to the workspace. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import type { Schedule } from '../business-hours/schedule.js';
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
  if (!row || !row.policy_id) return null;
  const timers = Object.fromEntries(
    SLA_TARGETS.map((t) => [t, Object.fromEntries(TIMER_FIELDS.map((f) => [f, f === 'paused_minutes' ? Number(row[`${PREFIX[t]}_${f}`] ?? 0) : ((row[`${PREFIX[t]}_${f}`] as Date | null) ?? null)])) as unknown as Timer]),
  ) as SlaState['timers'];
  return { policy_id: row.policy_id as string, paused_since: (row.paused_since as Date | null) ?? null, timers };
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
  policies: SlaPolicy[];
  /** The effective business hours (business-hours/effective.ts, the same order), or null: always open. */
  schedule: Schedule | null;
}

/**
 * Everything the SLA clock reads, after locking the conversation (so its writers and a timer on
 * another node take turns): the conversation, its customer's company, its clock, the workspace's
 * policies and the effective business hours. Every table is filtered by the account by hand.
 */
export async function loadForApply(trx: Transaction<DB>, accountId: string, conversationId: string): Promise<ApplyInput | null> {
  // The lock first, on its own: the read after it takes a fresh snapshot, so it sees the clock a
  // timer on another connection has just written (one statement would read it as it was before
  // the wait, and fire a breach again).
  const locked = await scoped(trx, accountId).selectFrom('conversations').select('id').where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!locked) return null;
  const { rows } = await sql<Row>`
    select cv.status, cv.priority, cv.inbox_id, cv.team_id, cv.tags, cv.created_at, cv.first_response_at, cv.waiting_since, cv.resolved_at,
      c.company, to_jsonb(s) as clock,
      (select coalesce(jsonb_agg(to_jsonb(p) order by p.position, p.created_at), '[]'::jsonb) from sla_policies p where p.account_id = cv.account_id) as policies,
      coalesce(
        i.business_hours,
        (select b.schedule from business_hours_schedules b where b.id = i.business_hours_id and b.account_id = cv.account_id),
        (select coalesce(t.business_hours, (select b.schedule from business_hours_schedules b where b.id = t.business_hours_id and b.account_id = cv.account_id))
           from teams t where t.id = cv.team_id and t.account_id = cv.account_id),
        (select b.schedule from business_hours_schedules b where b.account_id = cv.account_id and b.is_default)
      ) as schedule
    from conversations cv
    join contacts c on c.id = cv.contact_id and c.account_id = cv.account_id
    join inboxes i on i.id = cv.inbox_id and i.account_id = cv.account_id
    left join conversation_slas s on s.conversation_id = cv.id and s.account_id = cv.account_id
    where cv.id = ${conversationId} and cv.account_id = ${accountId}`.execute(trx);
  const r = rows[0];
  if (!r) return null;
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const clock = r.clock as Row | null;
  let prev: SlaState | null = null;
  if (clock?.policy_id) {
    const timers = Object.fromEntries(
      SLA_TARGETS.map((t) => [t, Object.fromEntries(TIMER_FIELDS.map((f) => [f, f === 'paused_minutes' ? Number(clock[`${PREFIX[t]}_${f}`] ?? 0) : date(clock[`${PREFIX[t]}_${f}`])])) as unknown as Timer]),
    ) as SlaState['timers'];
    prev = { policy_id: clock.policy_id as string, paused_since: date(clock.paused_since), timers };
  }
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
  return { facts, prev, policies: r.policies as SlaPolicy[], schedule: (r.schedule as Schedule | null) ?? null };
}
