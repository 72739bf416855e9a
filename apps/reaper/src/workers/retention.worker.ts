import { parseJobData, pruneRetentionJob } from "@pulse/queues";
import type { SessionStore } from "@pulse/sessions";
import type { Queue } from "bullmq";
import type { Logger } from "pino";
import type { WorkerDefinition } from "./register";

/** Sessions one pass deletes (with their events): bounded, so one pass never holds Postgres long. */
export const PRUNE_BATCH_SESSIONS = 1_000;

export interface RetentionWorkerDeps {
  store: SessionStore;
  logger: Logger;
  maintenanceQueue: Queue;
  /** RETENTION_DAYS in ms; 0 keeps everything. */
  retentionMs: number;
  now: () => number;
}

/** Deletes ended sessions (and their events) older than the retention, a bounded batch per pass. */
export function retentionWorker({
  store,
  logger,
  maintenanceQueue,
  retentionMs,
  now,
}: RetentionWorkerDeps): WorkerDefinition {
  return {
    queue: pruneRetentionJob.queue,
    jobNames: [pruneRetentionJob.name],
    concurrency: 1,
    async process(job) {
      parseJobData(pruneRetentionJob, job);
      if (retentionMs === 0) return { sessions: 0, events: 0, skipped: "retention off" };
      const result = await store.pruneEnded({ endedBeforeMs: now() - retentionMs, limit: PRUNE_BATCH_SESSIONS });
      if (result.sessions > 0) logger.info(result, "pruned ended sessions past the retention");
      if (result.sessions === PRUNE_BATCH_SESSIONS) {
        // More may be waiting: go on now rather than next hour. Deduplicated while pending.
        await maintenanceQueue.add(
          pruneRetentionJob.name,
          { reason: "continue" },
          { ...pruneRetentionJob.options, deduplication: { id: "prune-retention-continue" } },
        );
      }
      return result;
    },
  };
}
