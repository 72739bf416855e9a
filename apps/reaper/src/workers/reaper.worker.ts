import { staleCutoff } from "@pulse/core";
import { ingestUpSince, METRICS_FIELDS, reapStaleJob, parseJobData } from "@pulse/queues";
import type { SessionStore } from "@pulse/sessions";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { oldestPendingJobAt } from "../backlog";
import type { WorkerDefinition } from "./register";

/**
 * A job older than this still waiting in the events queue means a backlog (Postgres was down, the
 * worker was stopped, a burst): sessions would be judged on data that has not landed yet.
 */
export const BACKLOG_TOLERANCE_MS = 5_000;

export interface ReaperWorkerDeps {
  /** Ends stale sessions and announces them. */
  store: SessionStore;
  /** Reads where ingest records since when it has been up. */
  redis: Redis;
  logger: Logger;
  eventsQueue: Queue;
  reaperQueue: Queue;
  staleTimeoutMs: number;
  batchSize: number;
  now: () => number;
  /** Where ingest records since when it has been up (lifecycle rule 9). */
  ingestUpSinceKey: string;
  /** The Redis hash of counters ingest's `GET /metrics` reads (`metricsKey(prefix)`). */
  metricsKey: string;
}

/** Why a sweep judged nothing: said once when it starts, not on every tick. */
type Pause = "backlog" | "ingest_down" | "ingest_just_up";

/** The stale sweep: ends stale sessions (docs/lifecycle.md rule 8) at their last activity or proof of life. */
export function reaperWorker(deps: ReaperWorkerDeps): WorkerDefinition {
  const { store, redis, logger, eventsQueue, reaperQueue, staleTimeoutMs, batchSize, now } = deps;
  let paused: Pause | null = null;
  // Counted in Redis, not in this process: ingest serves /metrics, and several reapers add up. A
  // count that fails (Redis just went away) is lost, never a failed sweep: the sweep has committed.
  const count = async (counts: Record<string, number>) => {
    const tx = redis.multi();
    for (const [field, n] of Object.entries(counts)) tx.hincrby(deps.metricsKey, field, n);
    await tx.exec().catch((err: Error) => logger.debug({ err: err.message }, "sweep not counted"));
  };
  const pause = async (why: Pause, fields: Record<string, unknown>, message: string) => {
    if (paused !== why) logger.warn(fields, message);
    paused = why;
    await count({ [METRICS_FIELDS.reaperSweepsSkipped + why]: 1 });
    return { ended: 0, skipped: why };
  };
  return {
    queue: reapStaleJob.queue,
    jobNames: [reapStaleJob.name],
    concurrency: 1,
    async process(job) {
      parseJobData(reapStaleJob, job);
      const pendingSince = await oldestPendingJobAt(eventsQueue);
      if (pendingSince !== null && now() - pendingSince > BACKLOG_TOLERANCE_MS) {
        return pause(
          "backlog",
          { backlogMs: now() - pendingSince },
          "events queue has a backlog: sweeps skipped until it drains",
        );
      }
      // Rule 9: silence while Pulse could not hear (ingest down, or up for less than a timeout, so
      // that agents' spooled events and proofs of life have not all come back) is not judged.
      const upSince = await ingestUpSince(redis, deps.ingestUpSinceKey);
      if (upSince === null)
        return pause(
          "ingest_down",
          {},
          "no ingest is up: sweeps skipped until one is (silence it cannot hear is not judged)",
        );
      if (now() - upSince < staleTimeoutMs) {
        return pause(
          "ingest_just_up",
          { upForMs: now() - upSince, staleTimeoutMs },
          "ingest has been up for less than the stale timeout: sweeps skipped until it has",
        );
      }
      if (paused !== null) logger.info({ after: paused }, "sweeps resumed");
      paused = null;
      const ended = await store.reapStale({ cutoffMs: staleCutoff(now(), staleTimeoutMs), limit: batchSize });
      if (ended.length > 0) logger.info({ ended: ended.length }, "ended stale sessions");
      await count({ [METRICS_FIELDS.reaperSweeps]: 1, [METRICS_FIELDS.reaperEndedStale]: ended.length });
      if (ended.length === batchSize) {
        // More may be waiting: sweep again now rather than next tick. Deduplicated while pending.
        await reaperQueue.add(
          reapStaleJob.name,
          { reason: "schedule" },
          { ...reapStaleJob.options, deduplication: { id: "reap-stale-continue" } },
        );
      }
      return { ended: ended.length };
    },
  };
}
