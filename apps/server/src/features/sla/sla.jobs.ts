/**
 * The SLA timers of a node: the worker of `sla.check` jobs (each set for the next warning or due
 * time of one conversation), and a sweep that looks for clocks whose time passed without their
 * timer having fired (a timer that ran a moment early, a job lost with a database restored from
 * backup). Both only re-read the clock, so the same warning or breach never fires twice. The sweep
 * also queues the `sla.retime` walks that follow a change of SLA settings, and the node works them
 * (retime-slas.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { startSweeper } from '../../core/sweeper.js';
import { unscoped } from '../../core/db/tenant.js';
import type { JobHandle } from '../../core/jobs.js';
import { applySla, type SlaCheckJob } from './apply-sla.js';
import { onSettingsChanged, queuePendingRetimes, retimeSlas, type SlaRetimeJob } from './retime-slas.js';

/** How long a timer that runs early waits for its instant rather than leaving it to the sweep. */
const MAX_EARLY_MS = 5_000;

export async function checkSla(ctx: AppContext, job: JobHandle<SlaCheckJob>): Promise<void> {
  const early = new Date(job.data.at).getTime() - Date.now();
  if (early > 0 && early <= MAX_EARLY_MS) await new Promise((r) => setTimeout(r, early));
  await ctx.db.transaction().execute((trx) => applySla(trx, ctx, job.data.accountId, job.data.conversationId));
  await ctx.outbox.flush();
}

/** Clocks with a warning or due time that has passed and not fired, across workspaces (the sweep serves them all). */
export function overdueClocks(ctx: AppContext, limit = 100) {
  return unscoped(ctx.db)
    .selectFrom('conversation_slas')
    .select(['account_id', 'conversation_id'])
    .where('next_check_at', '<=', sql<Date>`now()`)
    .orderBy('next_check_at')
    .limit(limit)
    .execute();
}

export async function sweepSla(ctx: AppContext): Promise<number> {
  await queuePendingRetimes(ctx);
  const due = await overdueClocks(ctx);
  for (const c of due) await ctx.db.transaction().execute((trx) => applySla(trx, ctx, c.account_id, c.conversation_id));
  if (due.length) await ctx.outbox.flush();
  return due.length;
}

export interface SlaTimers {
  stop(): Promise<void>;
}

export async function startSlaTimers(ctx: AppContext, log: Pick<FastifyBaseLogger, 'warn'>, sweepMs = 30_000): Promise<SlaTimers> {
  await ctx.jobs.work<SlaCheckJob>('sla.check', (job) => checkSla(ctx, job));
  await ctx.jobs.work<SlaRetimeJob>('sla.retime', (job) => retimeSlas(ctx, job));
  const sweeper = startSweeper(async () => void (await sweepSla(ctx)), { intervalMs: sweepMs, onError: (err) => log.warn({ err }, 'the SLA sweep failed; trying again shortly') });
  const forget = onSettingsChanged(ctx, sweeper.kick);
  return {
    async stop() {
      forget();
      await sweeper.stop();
      await ctx.jobs.offWork('sla.check');
      await ctx.jobs.offWork('sla.retime');
    },
  };
}
