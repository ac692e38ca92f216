/**
 * Background work that runs every so often and whenever something may have made it due: the
 * reactions dispatcher, the webhook dispatcher, the SLA and automation sweeps, notification emails.
 * One run at a time on a node; a kick during a run asks for one more run after it (never a pile of
 * them); a run that answers true (it read a full batch: more may wait) runs again at once. A run
 * that throws is reported and the next tick tries again. Several nodes may sweep the same work:
 * the work itself claims rows with skip locked or by stable ids.
 */
export interface Sweeper {
  /** Runs soon (after a commit that made work due). */
  kick(): void;
  /** Stops the ticks and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startSweeper(sweep: () => Promise<boolean | void>, options: { intervalMs: number; onError: (err: unknown) => void }): Sweeper {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        while ((await sweep()) === true && !stopped);
      } catch (err) {
        if (!stopped) options.onError(err);
      } finally {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      }
    })();
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
