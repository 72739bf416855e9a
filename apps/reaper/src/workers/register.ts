import { cappedExponentialBackoff } from "@pulse/queues";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

export interface WorkerDefinition {
  queue: string;
  /** Job names this worker handles; anything else is a bug and fails without retry. */
  jobNames: readonly string[];
  concurrency: number;
  /** Runs one job; `worker` is the worker running it (the events worker takes more jobs through it). */
  process(job: Job, token: string | undefined, worker: Worker): Promise<unknown>;
}

export interface WorkerContext {
  connection: Redis;
  prefix: string;
  logger: Logger;
}

/** Starts every worker the same way: shared connection and prefix, capped backoff, error logging. */
export function registerWorkers(definitions: WorkerDefinition[], { connection, prefix, logger }: WorkerContext): Worker[] {
  return definitions.map((definition) => {
    const log = logger.child({ queue: definition.queue });
    const worker: Worker = new Worker(
      definition.queue,
      async (job: Job, token?: string) => {
        if (!definition.jobNames.includes(job.name)) throw new Error(`queue ${definition.queue} has no handler for job "${job.name}"`);
        return definition.process(job, token, worker);
      },
      {
        connection,
        prefix,
        concurrency: definition.concurrency,
        settings: { backoffStrategy: (attemptsMade: number) => cappedExponentialBackoff(attemptsMade) },
      },
    );
    worker.on("failed", (job, error) => {
      log.error({ jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, err: error }, "job failed");
    });
    worker.on("error", (error) => log.error({ err: error }, "worker error"));
    return worker;
  });
}
