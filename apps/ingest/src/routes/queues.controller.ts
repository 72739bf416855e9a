import { Controller, Get, Inject } from "@nestjs/common";
import type { QueuesJson } from "@pulse/core/api";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/** Newest failed jobs listed per queue: enough to see what failed and why. */
const FAILED_SHOWN = 10;

/**
 * The dead letters: jobs that failed for good (a payload that can never be valid, events Postgres
 * refuses, a job that stalled too often), per queue, with their reasons. They stay in each queue's
 * failed list (7 days for events) and can be retried from the queue board (`/queues`, "Retry all",
 * or `PUT /queues/api/queues/<queue>/retry/failed`): applying events again is idempotent.
 */
@Controller("v1/queues")
export class QueuesController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Get()
  async queues(): Promise<QueuesJson> {
    const queues = await Promise.all(
      this.deps.queues.map(async (queue) => {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed");
        const failed = counts.failed > 0 ? await queue.getFailed(0, FAILED_SHOWN - 1) : [];
        return {
          name: queue.name,
          counts,
          failed: failed.map((job) => ({
            id: job.id ?? null,
            name: job.name,
            failed_reason: job.failedReason?.split("\n")[0].slice(0, 500) ?? null,
            attempts_made: job.attemptsMade,
            failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          })),
        };
      }),
    );
    return {
      failed_total: queues.reduce((sum, q) => sum + q.counts.failed, 0),
      queues,
      retry: "PUT /queues/api/queues/<queue>/retry/failed (or Retry all on the queue board)",
    };
  }
}
