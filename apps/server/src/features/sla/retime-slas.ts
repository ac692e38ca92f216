/**
 * Re-timing a workspace's open conversations after its SLA settings changed (a policy added,
 * changed or deleted; business hours changed): a durable job that walks the conversations not
 * resolved, a batch per transaction, each bringing its clock up to date (apply-sla.ts: the policy
 * that now matches, due times in the hours that now apply, a warning or breach now due fired
 * once). Each batch queues the next in its own transaction, so a crash resumes where it stopped,
 * and a retry redoes only work that changes nothing. A change made while a walk runs starts a new
 * walk from the beginning, for the newest settings.
 *
 * What needs a walk is in the database: a workspace whose settings version (bumped by triggers on
 * every change, migration 0026) is not the version it was last re-timed to. The SLA sweep queues
 * the walks (sla.jobs.ts); a request that changed settings only asks this node's sweep to run now.
 */
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { stableJobId, type JobHandle } from '../../core/jobs.js';
import { applySla } from './apply-sla.js';

export interface SlaRetimeJob {
  accountId: string;
  /** The settings version the walk brings clocks up to. */
  version: string;
  /** The last conversation id of the batch before (null: from the start). */
  after: string | null;
}

export const RETIME_BATCH = 100;

/** One batch of one walk has one job id: queuing it again adds nothing. */
export const retimeJobId = (job: SlaRetimeJob): string => stableJobId(`sla-retime:${job.accountId}:${job.version}:${job.after ?? ''}`);

// This node's SLA sweep, by database handle (set while startSlaTimers runs here).
const sweeps = new WeakMap<object, () => void>();

export function onSettingsChanged(ctx: Pick<AppContext, 'db'>, kick: () => void): () => void {
  sweeps.set(ctx.db, kick);
  return () => sweeps.delete(ctx.db);
}

/**
 * Call after a commit that changed SLA policies or business hours: the walk starts now when this
 * node runs the SLA timers, else at the next sweep of a node that does.
 */
export function slaSettingsChanged(ctx: Pick<AppContext, 'db'>): void {
  sweeps.get(ctx.db)?.();
}

/** Queues a walk for each workspace whose clocks are behind its settings. Answers how many. */
export async function queuePendingRetimes(ctx: AppContext, limit = 100): Promise<number> {
  const behind = await unscoped(ctx.db)
    .selectFrom('accounts')
    .select(['id', sql<string>`sla_settings_version::text`.as('version')])
    .where(sql<boolean>`sla_settings_version <> sla_retimed_version`)
    .limit(limit)
    .execute();
  for (const a of behind) {
    const job: SlaRetimeJob = { accountId: a.id, version: a.version, after: null };
    await ctx.jobs.send('sla.retime', job, { id: retimeJobId(job) });
  }
  return behind.length;
}

async function settingsVersion(trx: Transaction<DB>, accountId: string): Promise<string | null> {
  const row = await unscoped(trx).selectFrom('accounts').select(sql<string>`sla_settings_version::text`.as('version')).where('id', '=', accountId).executeTakeFirst();
  return row?.version ?? null;
}

/** One batch of a walk (`size` conversations at most). Answers how many it brought up to date. */
export async function retimeBatch(ctx: AppContext, job: SlaRetimeJob, size = RETIME_BATCH): Promise<number> {
  const done = await ctx.db.transaction().execute(async (trx) => {
    const version = await settingsVersion(trx, job.accountId);
    if (version === null) return 0;
    if (version !== job.version) {
      // The settings changed again: a walk for the newest version covers every conversation from the start.
      const fresh: SlaRetimeJob = { accountId: job.accountId, version, after: null };
      await ctx.jobs.send('sla.retime', fresh, { id: retimeJobId(fresh), trx });
      return 0;
    }
    let page = scoped(trx, job.accountId).selectFrom('conversations').select('id').where('status', '!=', 'resolved').orderBy('id').limit(size);
    if (job.after) page = page.where('id', '>', job.after);
    const ids = (await page.execute()).map((r) => r.id);
    for (const id of ids) await applySla(trx, ctx, job.accountId, id);
    if (ids.length === size) {
      const next: SlaRetimeJob = { ...job, after: ids[ids.length - 1] };
      await ctx.jobs.send('sla.retime', next, { id: retimeJobId(next), trx });
    } else {
      // The walk is over: the clocks are at this version (a later one still differs and gets its own walk).
      await unscoped(trx).updateTable('accounts').set({ sla_retimed_version: job.version }).where('id', '=', job.accountId).where(sql<boolean>`sla_retimed_version < ${job.version}::bigint`).execute();
    }
    return ids.length;
  });
  await ctx.outbox.flush();
  ctx.jobs.notify('sla.retime');
  return done;
}

export const retimeSlas = (ctx: AppContext, job: JobHandle<SlaRetimeJob>) => retimeBatch(ctx, job.data).then(() => undefined);
