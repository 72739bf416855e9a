import type { Worker } from "bullmq";
import type { Logger } from "pino";
import type { TakenJob } from "./take-waiting-jobs";

/**
 * Renews, every half lock, the locks of jobs taken with `getNextJob` while their batch is applied.
 * BullMQ renews only the job it handed to the processor: without this, a batch that runs longer
 * than the lock (a slow Postgres, a long lock wait) would see its other jobs declared stalled and
 * handed to another worker while it still applies them. Returns a function that stops renewing.
 */
export function keepLocks(worker: Worker, taken: readonly TakenJob[], lockMs: number, logger: Logger): () => void {
  if (taken.length === 0) return () => {};
  const ids = taken.map((t) => String(t.job.id));
  const tokens = taken.map((t) => t.token);
  let warned = false;
  const timer = setInterval(() => {
    worker.extendJobLocks(ids, tokens, lockMs).then(
      (lost) => {
        // Lost: the lock expired first (this process was frozen, Redis was away) and another worker
        // may apply these jobs too. Harmless (events are idempotent), worth one line per batch.
        if (lost.length > 0 && !warned) logger.warn({ jobs: lost.length }, "lost the lock of jobs taken into a batch: another worker may apply them too (idempotent)");
        warned ||= lost.length > 0;
      },
      () => {
        // Redis is away: its outage is logged by the connection; the next tick tries again.
      },
    );
  }, lockMs / 2);
  timer.unref();
  return () => clearInterval(timer);
}
