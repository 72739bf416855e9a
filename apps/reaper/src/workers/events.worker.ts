import type { NormalizedEvent } from "@pulse/core";
import { describeDatabaseError } from "@pulse/db";
import { applyEventsJob, MAX_EVENTS_PER_JOB, OutageLog, parseJobData } from "@pulse/queues";
import type { SessionStore } from "@pulse/sessions";
import { type Job, UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import { classifyFailure, OUTAGE_REASON_PREFIX, outageError } from "./apply-failure";
import { type Attempt, findFailingEvents } from "./find-failing-events";
import { type KeptLocks, keepLocks } from "./lock-keeper";
import { LOGGED, type WorkerDefinition } from "./register";
import { takeWaitingJobs } from "./take-waiting-jobs";

/**
 * One transaction applies a job together with the jobs waiting behind it, up to these bounds. At a
 * steady trickle each request is a job of one event, and a transaction per job would cap the worker
 * at a few hundred jobs per second; a backlog after an outage drains in large transactions too.
 */
export const MAX_EVENTS_PER_TRANSACTION = 4 * MAX_EVENTS_PER_JOB;
export const MAX_JOBS_PER_TRANSACTION = 200;

export interface EventsWorkerDeps {
  /** Applies and announces (the store publishes the sessions each batch changed). */
  store: SessionStore;
  logger: Logger;
  concurrency: number;
  /** The workers' lock duration: jobs taken into a batch have theirs renewed as often as BullMQ's own. */
  lockMs: number;
}

interface Totals {
  applied: number;
  duplicates: number;
  sessions: number;
}

/** A job of the batch: the one BullMQ handed over (`own`) or one taken from the waiting list. */
interface Unit {
  job: Job;
  token: string;
  events: NormalizedEvent[];
  own: boolean;
}

/**
 * Whether a job is applied on its own rather than merged: it stalled before (its worker died or froze
 * holding it: if it is what kills the worker, it takes no other job with it again), or it failed for
 * something other than an outage (it holds only events that failed alone).
 */
function appliedAlone(job: Job): boolean {
  return (
    job.stalledCounter > 0 || (job.attemptsMade > 0 && !String(job.failedReason ?? "").startsWith(OUTAGE_REASON_PREFIX))
  );
}

/** Applies batches of events to Postgres through the store, which announces the sessions they changed. */
export function eventsWorker({ store, logger, concurrency, lockMs }: EventsWorkerDeps): WorkerDefinition {
  const outage = new OutageLog(logger, {
    down: "events cannot be applied: a backing service is unavailable; their jobs are retried with backoff until it is back (logged once)",
    up: "events are applied again",
  });

  const apply = async (batch: NormalizedEvent[]) => {
    // A failed announcement is logged by the store, never thrown: it must not re-run committed jobs.
    const result = await store.applyEvents(batch);
    outage.up();
    return result;
  };

  /** Fails a job taken into the batch, through its token (the worker's own job fails by throwing). */
  const failTaken = async (unit: Unit, error: Error, locks: KeptLocks): Promise<void> => {
    locks.settled(unit);
    await unit.job.moveToFailed(error, unit.token).catch(() => {
      // Its lock was lost (another worker has it now) or Redis is away: it will run again either way.
    });
  };

  const completeTaken = async (unit: Unit, appliedWith: Job["id"] | null, locks: KeptLocks): Promise<void> => {
    locks.settled(unit);
    await unit.job.moveToCompleted({ appliedWith }, unit.token, false).catch(() => {
      // Its lock was lost (this worker froze past it): the worker that took it over completes it.
    });
  };

  /**
   * Applies units together; when that fails for anything but an outage, finds the events that fail
   * on their own (find-failing-events.ts), so every other event is applied now: one bad event never
   * holds up the others, whichever request or job they came in. Settles every taken unit; says what
   * the worker's own job must end with, and whether an outage stopped it.
   */
  const settle = async (
    units: Unit[],
    totals: Totals,
    locks: KeptLocks,
  ): Promise<{ outage: Error | null; ownError: Error | null }> => {
    const attempt: Attempt = async (events) => {
      try {
        const result = await apply(events);
        totals.applied += result.applied;
        totals.duplicates += result.duplicates;
        totals.sessions += result.sessions.length;
        return null;
      } catch (error) {
        return error;
      }
    };
    const all = units.flatMap((u) => u.events);
    const error = await attempt(all);
    const ownId = units.find((u) => u.own)?.job.id ?? null;
    if (error === null) {
      for (const unit of units) if (!unit.own) await completeTaken(unit, ownId, locks);
      return { outage: null, ownError: null };
    }
    const found =
      classifyFailure(error) === "outage"
        ? { outage: error, failing: new Map<NormalizedEvent, unknown>() }
        : await findFailingEvents(all, error, attempt);
    if (found.outage !== null) {
      outage.down(describeDatabaseError(found.outage), { jobs: units.length });
      const retry = Object.assign(outageError(found.outage), { [LOGGED]: true });
      for (const unit of units) if (!unit.own) await failTaken(unit, retry, locks);
      return { outage: retry, ownError: units.some((u) => u.own) ? retry : null };
    }
    let ownError: Error | null = null;
    for (const unit of units) {
      const bad = unit.events.filter((e) => found.failing.has(e));
      if (bad.length === 0) {
        if (!unit.own) await completeTaken(unit, ownId, locks);
        continue;
      }
      // What was applied stays applied: the job keeps only its events that failed, so a retry (or
      // a retry from the failed list) applies just those.
      if (bad.length < unit.events.length) await unit.job.updateData({ events: bad }).catch(() => {});
      const reasons = bad.map((e) => found.failing.get(e));
      const first = describeDatabaseError(reasons[0]);
      const refused = reasons.every((r) => classifyFailure(r) === "refused");
      const jobError = refused
        ? new UnrecoverableError(`${bad.length} of ${unit.events.length} event(s) cannot be applied: ${first}`)
        : new Error(`${bad.length} of ${unit.events.length} event(s) failed on their own: ${first}`);
      logger.error(
        {
          jobId: unit.job.id,
          events: bad.length,
          of: unit.events.length,
          sessions: [...new Set(bad.map((e) => e.session_id))].slice(0, 5),
          err: first,
        },
        refused
          ? "job cannot be applied: moved to the failed jobs (the rest of its batch was applied)"
          : "job failed on its own: retried with backoff (the rest of its batch was applied)",
      );
      Object.assign(jobError, { [LOGGED]: true });
      if (unit.own) ownError = jobError;
      else await failTaken(unit, jobError, locks);
    }
    return { outage: null, ownError };
  };

  return {
    queue: applyEventsJob.queue,
    jobNames: [applyEventsJob.name],
    concurrency,
    async process(job, token, worker) {
      const { events } = parseJobData(applyEventsJob, job);
      const own: Unit = { job, token: token ?? "", events, own: true };
      const taken = appliedAlone(job)
        ? []
        : await takeWaitingJobs(worker, {
            maxJobs: MAX_JOBS_PER_TRANSACTION,
            maxEvents: MAX_EVENTS_PER_TRANSACTION,
            eventsSoFar: events.length,
          });
      const locks = keepLocks(worker, taken, lockMs, logger);
      try {
        const merged: Unit[] = [own];
        const alone: Unit[] = [];
        for (const extra of taken) {
          try {
            const unit = { ...extra, events: parseJobData(applyEventsJob, extra.job).events, own: false };
            (appliedAlone(extra.job) ? alone : merged).push(unit);
          } catch (err) {
            // Cannot ever succeed: failed alone (UnrecoverableError, no retry), the others go on.
            logger.error(
              { jobId: extra.job.id, err: (err as Error).message },
              "job cannot be applied: invalid payload, moved to the failed jobs",
            );
            locks.settled(extra);
            await extra.job.moveToFailed(err as Error, extra.token).catch(() => {});
          }
        }
        const totals: Totals = { applied: 0, duplicates: 0, sessions: 0 };
        let stopped: Error | null = null;
        let ownError: Error | null = null;
        for (const group of [merged, ...alone.map((u) => [u])]) {
          // Postgres is down: the jobs not tried yet fail with the same outage, without trying.
          if (stopped) {
            for (const unit of group) await failTaken(unit, stopped, locks);
            continue;
          }
          const result = await settle(group, totals, locks);
          stopped = result.outage;
          ownError ??= result.ownError;
        }
        // The job BullMQ handed over settles last, by returning or throwing.
        if (ownError) throw ownError;
        return { ...totals, jobs: merged.length + alone.length };
      } finally {
        locks.stop();
      }
    },
  };
}
