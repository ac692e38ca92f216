/**
 * Re-timing a workspace's open conversations after its SLA settings changed (a policy added,
 * changed or deleted; business hours changed): a durable job that walks the conversations not
 * resolved, a batch per transaction, each bringing its clock up to date (apply-sla.ts: the policy
 * that now matches, due times in the hours that now apply, a warning or breach now due fired
 * once). Each batch queues the next in its own transaction, so a crash resumes where it stopped,
 * and a retry redoes only work that changes nothing. A change made while a walk runs starts a new
 * walk from the beginning, for the newest settings.
 */
import type { Transaction } from 'kysely';
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

async function settingsVersion(trx: Transaction<DB>, accountId: string): Promise<string | null> {
  const row = await unscoped(trx).selectFrom('accounts').select('sla_settings_version').where('id', '=', accountId).executeTakeFirst();
  return row ? String(row.sla_settings_version) : null;
}

/**
 * Queues the walk for the settings as they are in `trx` (call it after the change, in its
 * transaction; then `ctx.jobs.notify('sla.retime')` after the commit).
 */
export async function queueSlaRetime(trx: Transaction<DB>, ctx: AppContext, accountId: string): Promise<void> {
  const version = await settingsVersion(trx, accountId);
  if (version === null) return;
  const job: SlaRetimeJob = { accountId, version, after: null };
  await ctx.jobs.send('sla.retime', job, { id: retimeJobId(job), trx });
}

/** One batch of a walk (`size` conversations at most). Answers how many it brought up to date. */
export async function retimeBatch(ctx: AppContext, job: SlaRetimeJob, size = RETIME_BATCH): Promise<number> {
  const done = await ctx.db.transaction().execute(async (trx) => {
    const version = await settingsVersion(trx, job.accountId);
    if (version === null) return 0;
    if (version !== job.version) {
      // The settings changed again: a walk for the newest version (the one the change queued, or
      // this one if a writer queued none) covers every conversation from the start.
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
    }
    return ids.length;
  });
  await ctx.outbox.flush();
  ctx.jobs.notify('sla.retime');
  return done;
}

export const retimeSlas = (ctx: AppContext, job: JobHandle<SlaRetimeJob>) => retimeBatch(ctx, job.data).then(() => undefined);
