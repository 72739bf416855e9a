import type { Worker } from "bullmq";
import type { Logger } from "pino";
import type { TakenJob } from "./take-waiting-jobs";

export interface KeptLocks {
  /** The job is completed or failed: its lock is gone, not to be renewed. */
  settled(job: TakenJob): void;
  /** Stops renewing (the batch is over). */
  stop(): void;
}

/**
 * Renews, every half lock, the locks of jobs taken with `getNextJob` while their batch is applied.
 * BullMQ renews only the job it handed to the processor: without this, a batch that runs longer
 * than the lock (a slow Postgres, a long lock wait) would see its other jobs declared stalled and
 * handed to another worker while it still applies them.
 */
export function keepLocks(worker: Worker, taken: readonly TakenJob[], lockMs: number, logger: Logger): KeptLocks {
  const pending = new Map(taken.map((t) => [String(t.job.id), t.token]));
  let warned = false;
  const timer =
    pending.size === 0
      ? undefined
      : setInterval(() => {
          if (pending.size === 0) return;
          worker.extendJobLocks([...pending.keys()], [...pending.values()], lockMs).then(
            (lost) => {
              // Lost: the lock expired first (this process was frozen, Redis was away) and another
              // worker may apply these jobs too. Harmless (events are idempotent): one line a batch.
              const stillHeld = lost.filter((id) => pending.has(id));
              if (stillHeld.length > 0 && !warned)
                logger.warn(
                  { jobs: stillHeld.length },
                  "lost the lock of jobs taken into a batch: another worker may apply them too (idempotent)",
                );
              warned ||= stillHeld.length > 0;
            },
            () => {
              // Redis is away: its outage is logged by the connection; the next tick tries again.
            },
          );
        }, lockMs / 2);
  timer?.unref();
  return {
    settled: (job) => pending.delete(String(job.job.id)),
    stop: () => clearInterval(timer),
  };
}
