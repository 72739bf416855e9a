import { randomUUID } from "node:crypto";
import type { Job, Worker } from "bullmq";

export interface TakenJob {
  job: Job;
  /** The lock token it was taken with: needed to complete or fail it. */
  token: string;
}

export interface TakeLimits {
  maxJobs: number;
  maxEvents: number;
  /** Events already in the batch (the job BullMQ handed over). */
  eventsSoFar: number;
}

/** Jobs are taken this many at a time (each is one atomic move to active in Redis). */
export const WAVE = 20;

/** Events a job carries, as far as its payload says (it is validated afterwards). */
export function eventsIn(job: Pick<Job, "data">): number {
  return Array.isArray(job.data?.events) ? job.data.events.length : 0;
}

/**
 * Takes jobs from `next` (which moves one waiting job to active under the token it is given, or
 * says there is none) in waves of up to WAVE at once, until `maxJobs` jobs or `maxEvents` events
 * (counting `eventsSoFar`), or until a wave comes back short: the waiting list is empty.
 */
export async function takeJobs(
  next: (token: string) => Promise<Job | undefined>,
  { maxJobs, maxEvents, eventsSoFar }: TakeLimits,
): Promise<TakenJob[]> {
  const taken: TakenJob[] = [];
  let events = eventsSoFar;
  while (taken.length < maxJobs && events < maxEvents) {
    const wave = Math.min(WAVE, maxJobs - taken.length);
    const got = await Promise.all(
      Array.from({ length: wave }, async (): Promise<TakenJob | null> => {
        const token = randomUUID();
        const job = await next(token);
        return job ? { job, token } : null;
      }),
    );
    const jobs = got.filter((t): t is TakenJob => t !== null);
    taken.push(...jobs);
    events += jobs.reduce((sum, t) => sum + eventsIn(t.job), 0);
    if (jobs.length < wave) break;
  }
  return taken;
}

/**
 * Takes jobs already waiting in the worker's queue, without blocking (takeJobs). Each job is moved
 * to active atomically with a lock token of its own, as BullMQ does for any job it hands out; the
 * caller must complete or fail each, and keep its lock (lock-keeper.ts) until then.
 */
export function takeWaitingJobs(worker: Worker, limits: TakeLimits): Promise<TakenJob[]> {
  return takeJobs(async (token) => (await worker.getNextJob(token, { block: false })) as Job | undefined, limits);
}
