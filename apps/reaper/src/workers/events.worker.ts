import type { NormalizedEvent } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { applyEventsJob, MAX_EVENTS_PER_JOB, parseJobData } from "@pulse/queues";
import { applyEventBatch, publishSessions } from "@pulse/sessions";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { WorkerDefinition } from "./register";
import { type TakenJob, takeWaitingJobs } from "./take-waiting-jobs";

/**
 * One transaction applies a job together with the jobs waiting behind it, up to these bounds. At a
 * steady trickle each request is a job of one event, and a transaction per job would cap the worker
 * at a few hundred jobs per second; a backlog after an outage drains in large transactions too.
 */
export const MAX_EVENTS_PER_TRANSACTION = 4 * MAX_EVENTS_PER_JOB;
export const MAX_JOBS_PER_TRANSACTION = 200;

export interface EventsWorkerDeps {
  prisma: PrismaClient;
  publisher: Redis;
  channel: string;
  logger: Logger;
  concurrency: number;
}

/** Applies batches of events to Postgres, then announces the sessions they changed. */
export function eventsWorker({ prisma, publisher, channel, logger, concurrency }: EventsWorkerDeps): WorkerDefinition {
  return {
    queue: applyEventsJob.queue,
    jobNames: [applyEventsJob.name],
    concurrency,
    async process(job, _token, worker) {
      const { events } = parseJobData(applyEventsJob, job);
      const taken = await takeWaitingJobs(worker, { maxJobs: MAX_JOBS_PER_TRANSACTION, maxEvents: MAX_EVENTS_PER_TRANSACTION, eventsSoFar: events.length });
      const valid: Array<TakenJob & { events: NormalizedEvent[] }> = [];
      for (const extra of taken) {
        try {
          valid.push({ ...extra, events: parseJobData(applyEventsJob, extra.job).events });
        } catch (err) {
          // Cannot ever succeed: failed alone (UnrecoverableError, no retry), the others go on.
          logger.error({ jobId: extra.job.id, err }, "job failed");
          await extra.job.moveToFailed(err as Error, extra.token).catch((e) => logger.error({ err: e }, "could not fail job"));
        }
      }
      const apply = async (batch: NormalizedEvent[]) => {
        const result = await applyEventBatch(prisma, batch);
        // The change is committed: a lost notification must not re-run the jobs (the dashboard
        // refetches on reconnect), so a publish failure is logged, not thrown.
        await publishSessions(publisher, channel, result.sessions).catch((err) => logger.warn({ err, sessions: result.sessions.length }, "could not publish session changes"));
        return result;
      };
      try {
        const result = await apply([...events, ...valid.flatMap((v) => v.events)]);
        await Promise.all(valid.map((v) => v.job.moveToCompleted({ appliedWith: job.id }, v.token, false)));
        return { applied: result.applied, duplicates: result.duplicates, sessions: result.sessions.length, jobs: 1 + valid.length };
      } catch (err) {
        if (valid.length === 0) throw err;
        // One bad job must not hold the others back: each is applied on its own, and only the jobs
        // that fail are retried (with their own attempts and backoff).
        logger.warn({ err, jobs: 1 + valid.length }, "a merged batch failed: applying its jobs one by one");
        for (const v of valid) {
          try {
            await apply(v.events);
            await v.job.moveToCompleted({ appliedAlone: true }, v.token, false);
          } catch (jobErr) {
            logger.error({ jobId: v.job.id, err: jobErr }, "job failed");
            await v.job.moveToFailed(jobErr as Error, v.token).catch((e) => logger.error({ err: e }, "could not fail job"));
          }
        }
        const result = await apply(events);
        return { applied: result.applied, duplicates: result.duplicates, sessions: result.sessions.length, jobs: 1 };
      }
    },
  };
}
