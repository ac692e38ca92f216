/**
 * Durable jobs (pg-boss, in the same database as everything else, so both engines run them): work
 * that must happen once a change is committed, such as sending a reply by email. A job is written
 * in the transaction of the change that needs it and names a stable id, so a retried request
 * never queues it twice; a failed attempt is retried with backoff; any node's worker may take it.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { DB } from './db/schema.js';

export type JobName = 'email.send' | 'api.deliver' | 'messaging.send' | 'webhook.deliver' | 'notification.email' | 'sla.check' | 'sla.retime' | 'answer-bot.generate';

export interface JobOptions {
  /** A stable id (a uuid): sending the same id again adds nothing. */
  id: string;
  /** Written inside this transaction, so the job exists exactly when the change commits. */
  trx?: Transaction<DB>;
  /** Not before this instant (a Date) or this many seconds from now: a durable timer. */
  startAfter?: Date | number;
}

export interface JobHandle<T> {
  id: string;
  data: T;
  /** How many attempts failed before this one. */
  retryCount: number;
  /** True on the last attempt pg-boss will make. */
  lastAttempt: boolean;
}

export interface Jobs {
  /** Installs or upgrades the job tables and queues (idempotent; several nodes may call it at once). */
  start(): Promise<void>;
  send<T extends object>(name: JobName, data: T, options: JobOptions): Promise<void>;
  /** Runs a handler for each job of the queue on this node; a throw makes pg-boss retry later. */
  work<T extends object>(name: JobName, handler: (job: JobHandle<T>) => Promise<void>): Promise<void>;
  /** Wakes this node's worker for a queue, after a commit that queued a job in its transaction. */
  notify(name: JobName): void;
  /** Stops this node's worker of a queue (jobs wait for another worker). */
  offWork(name: JobName): Promise<void>;
  stop(): Promise<void>;
}

export interface QueuePolicy {
  retryLimit: number;
  /** Seconds before the first retry; with backoff each next wait doubles (with jitter). */
  retryDelay: number;
  retryBackoff: boolean;
  /** An attempt running longer than this is taken for a dead worker's and tried again. */
  expireInSeconds: number;
}

/**
 * Retry policy per queue, applied when a database's queue is created: SMTP servers that are down
 * for minutes are waited for, then the send is marked failed; a webhook receiver that fails is
 * tried 8 more times over about an hour and a half. Exported so tests can shorten the waits.
 */
export const QUEUES: Record<JobName, QueuePolicy> = {
  'email.send': { retryLimit: 6, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  'api.deliver': { retryLimit: 8, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
  'messaging.send': { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 90 },
  'webhook.deliver': { retryLimit: 8, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
  'notification.email': { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  // An SLA timer: the check re-reads the clock, so a retry or a stale timer does no harm.
  'sla.check': { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  // One batch of re-timing a workspace's clocks after its SLA settings changed; a retry redoes no-ops.
  'sla.retime': { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  // The answer bot's phrased answer: the model call has its own time limit; a retry writes at most once.
  'answer-bot.generate': { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 60 },
};

/** A job id (a uuid, as pg-boss wants) that is the same for the same key: queuing the same work twice adds it once. */
export function stableJobId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const executor = (db: Kysely<DB> | Transaction<DB>, stopped: () => boolean = () => false) => ({
  // pg-boss sends parameterless multi-statement scripts (its migrations) and parameterised queries;
  // both engines' drivers take either through a raw compiled query. Once the queue has stopped, a
  // worker whose fetch was already on its way when it stopped may still hand over a job and ask to
  // record its outcome after the database has closed: that write is dropped (no rows: pg-boss reads
  // it as "nothing affected"), and the job, still active, expires and runs again on a live node.
  executeSql: async (text: string, values: unknown[] = []) =>
    stopped() ? { rows: undefined as unknown as unknown[] } : { rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows as unknown[] },
});

export function createJobs(db: Kysely<DB>, options: { pollingIntervalSeconds?: number } = {}): Jobs {
  let stopped = false;
  const boss = new PgBoss({ db: executor(db, () => stopped), schema: 'rapport_jobs', supervise: true, schedule: false, migrate: true });
  const workers = new Map<JobName, string>();
  let started: Promise<void> | undefined;
  boss.on('error', () => {
    /* a poll or maintenance query failed (the database is away): pg-boss tries again on its own */
  });

  return {
    start() {
      started ??= (async () => {
        await boss.start();
        for (const [name, policy] of Object.entries(QUEUES)) {
          if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...policy }).catch(async (err: unknown) => {
            // Another node created it meanwhile.
            if (!(await boss.getQueue(name))) throw err;
          });
        }
      })();
      return started;
    },
    async send(name, data, { id, trx, startAfter }) {
      await this.start();
      await boss.send(name, data, { id, ...(startAfter !== undefined ? { startAfter } : {}), ...(trx ? { db: executor(trx) } : {}) });
      const worker = workers.get(name);
      // Wake this node's worker now instead of at its next poll (after the caller's commit, the job is visible).
      if (worker && !trx) boss.notifyWorker(worker);
    },
    async work<T extends object>(name: JobName, handler: (job: JobHandle<T>) => Promise<void>) {
      await this.start();
      let workerId = '';
      workerId = await boss.work<T>(name, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
        // Fetched as the queue stopped: left for its expiry, to run again on a live node.
        if (stopped) return;
        try {
          await handler({ id: job.id, data: job.data, retryCount: job.retryCount, lastAttempt: job.retryCount >= job.retryLimit });
        } finally {
          // A job was there, so more may be: fetch the next at once instead of after the polling interval
          // (a queue of fifty replies drains in a burst, not one a second). An empty fetch waits as usual.
          if (workerId) boss.notifyWorker(workerId);
        }
      });
      workers.set(name, workerId);
    },
    async offWork(name) {
      if (!workers.has(name)) return;
      workers.delete(name);
      await boss.offWork(name);
    },
    notify(name) {
      const worker = workers.get(name);
      if (worker) boss.notifyWorker(worker);
    },
    async stop() {
      if (!started) return;
      await started.catch(() => {});
      await boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => {});
      stopped = true;
    },
  };
}
