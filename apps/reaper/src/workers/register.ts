import { cappedExponentialBackoff, isConnectionError, OutageLog } from "@pulse/queues";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { classifyFailure, OUTAGE_REASON_PREFIX } from "./apply-failure";

export interface WorkerDefinition {
  queue: string;
  /** Job names this worker handles; anything else is a bug and fails without retry. */
  jobNames: readonly string[];
  concurrency: number;
  /** This queue's own lock (and stalled check) in ms, instead of JOB_LOCK_SECONDS: how soon a killed worker's jobs are taken over. */
  lockMs?: number;
  /** Runs one job; `worker` is the worker running it (the events worker takes more jobs through it). */
  process(job: Job, token: string | undefined, worker: Worker): Promise<unknown>;
}

export interface WorkerContext {
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** How long a hold on a job lasts without renewal (BullMQ's lockDuration); also the stalled check's period. */
  lockMs: number;
  /** The shared connection's outage log: worker errors while Redis is down belong to it. */
  redisOutage: OutageLog;
}

/**
 * Times a job may be found stalled (its worker died or froze holding it past its lock) and put back
 * to wait before BullMQ fails it. BullMQ's default, 1, fails a job whose worker was killed twice
 * while holding it, although its event was accepted and nothing is wrong with it. A job that stalled
 * once is applied alone afterwards (events.worker.ts), so reaching this many means that job itself
 * kills its worker: it goes to the failed jobs, where it can be seen and retried.
 */
export const MAX_STALLED_COUNT = 10;

/** An error its worker already logged (events.worker.ts logs each job it cannot apply, with why). */
export const LOGGED = Symbol.for("pulse.reaper.logged");

/** Starts every worker the same way: shared connection and prefix, locks, capped backoff, error logging. */
export function registerWorkers(
  definitions: WorkerDefinition[],
  { connection, prefix, logger, lockMs, redisOutage }: WorkerContext,
): Worker[] {
  return definitions.map((definition) => {
    const log = logger.child({ queue: definition.queue });
    const worker: Worker = new Worker(
      definition.queue,
      async (job: Job, token?: string) => {
        if (!definition.jobNames.includes(job.name))
          throw new Error(`queue ${definition.queue} has no handler for job "${job.name}"`);
        return definition.process(job, token, worker);
      },
      {
        connection,
        prefix,
        concurrency: definition.concurrency,
        lockDuration: definition.lockMs ?? lockMs,
        stalledInterval: definition.lockMs ?? lockMs,
        maxStalledCount: MAX_STALLED_COUNT,
        settings: { backoffStrategy: (attemptsMade: number) => cappedExponentialBackoff(attemptsMade) },
      },
    );
    // A Postgres outage fails every job until it ends: said when it starts and when it ends, not
    // once per job (a 20 s outage was 18,695 lines with a stack each).
    const outage = new OutageLog(log, {
      down: "jobs fail: a backing service is unavailable; they are retried with backoff (logged once until they succeed again)",
      up: "jobs succeed again",
    });
    worker.on("failed", (job, error) => {
      if ((error as unknown as Record<symbol, unknown>)[LOGGED]) return;
      if (error.message.startsWith(OUTAGE_REASON_PREFIX) || classifyFailure(error) === "outage")
        return outage.down(error.message, { jobId: job?.id });
      log.error({ jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, err: error }, "job failed");
    });
    worker.on("completed", () => outage.up());
    worker.on("lockRenewalFailed", (jobIds: string[]) =>
      log.warn(
        { jobs: jobIds.length },
        "lost the lock of running jobs (this process was frozen or Redis was away): another worker may apply them too (idempotent)",
      ),
    );
    worker.on("error", (error) => {
      // Said by lockRenewalFailed above, once for all of them.
      if (/^could not renew lock for job/.test(error.message)) return;
      if (connection.status !== "ready" || isConnectionError(error) || classifyFailure(error) === "outage")
        return redisOutage.down(error.message, { queue: definition.queue });
      log.error({ err: error }, "worker error");
    });
    return worker;
  });
}
