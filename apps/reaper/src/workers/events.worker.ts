import { applyEventsJob, parseJobData } from "@pulse/queues";
import { applyEventBatch, publishSessions } from "@pulse/sessions";
import type { PrismaClient } from "@pulse/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { WorkerDefinition } from "./register";

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
    async process(job) {
      const { events } = parseJobData(applyEventsJob, job);
      const result = await applyEventBatch(prisma, events);
      // The change is committed: a lost notification must not re-run the job (the dashboard
      // refetches on reconnect), so a publish failure is logged, not thrown.
      await publishSessions(publisher, channel, result.sessions).catch((err) => logger.warn({ err, sessions: result.sessions.length }, "could not publish session changes"));
      return { applied: result.applied, duplicates: result.duplicates, sessions: result.sessions.length };
    },
  };
}
