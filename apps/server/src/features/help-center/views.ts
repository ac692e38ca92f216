/**
 * Article views, counted in memory and written in batches (recordViews): a busy article costs one
 * UPDATE every few seconds, not one per reader. Counts still waiting are written on shutdown.
 */
import type { Database } from '../../core/db/index.js';
import { recordViews } from '../kb/feedback.js';

export interface ViewCounter {
  count(accountId: string, articleId: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function viewCounter(db: Database, log: { warn(obj: unknown, msg: string): void }, everyMs = 5000, maxPending = 500): ViewCounter {
  let pending = new Map<string, Map<string, number>>();
  let size = 0;
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending;
    pending = new Map();
    size = 0;
    flushing = flushing.then(async () => {
      for (const [accountId, views] of batch) {
        try {
          await recordViews(db, accountId, views);
        } catch (err) {
          log.warn({ err, accountId }, 'article views could not be recorded');
        }
      }
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), everyMs);
  timer.unref();
  return {
    count(accountId, articleId) {
      const views = pending.get(accountId) ?? new Map<string, number>();
      pending.set(accountId, views);
      views.set(articleId, (views.get(articleId) ?? 0) + 1);
      if (++size >= maxPending) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
