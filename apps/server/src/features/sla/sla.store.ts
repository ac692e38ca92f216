/** Reads and writes of SLA policies and each conversation's clock, always scoped to the workspace. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { PREFIX, SLA_TARGETS, type SlaPolicy, type SlaState, type SlaSummary, type Timer } from './sla-clock.js';

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
