import { randomUUID } from "node:crypto";
import type { Job, Worker } from "bullmq";

export interface TakenJob {
  job: Job;
  /** The lock token it was taken with: needed to complete or fail it. */
  token: string;
}

/** Jobs are taken this many at a time (each is one atomic move to active in Redis). */
const WAVE = 20;

/**
 * Takes jobs already waiting in the worker's queue, without blocking, until `maxJobs` jobs or
 * `maxEvents` events (counting `eventsSoFar`). Each job is moved to active atomically with a lock
 * token of its own, as BullMQ does for any job it hands out; the caller must complete or fail each.
 */
export async function takeWaitingJobs(worker: Worker, { maxJobs, maxEvents, eventsSoFar }: { maxJobs: number; maxEvents: number; eventsSoFar: number }): Promise<TakenJob[]> {
  const taken: TakenJob[] = [];
  let events = eventsSoFar;
  while (taken.length < maxJobs && events < maxEvents) {
    const wave = Math.min(WAVE, maxJobs - taken.length);
    const got = await Promise.all(
      Array.from({ length: wave }, async (): Promise<TakenJob | null> => {
        const token: string = randomUUID();
        const job = (await worker.getNextJob(token, { block: false })) as Job | undefined;
        return job ? { job, token } : null;
      }),
    );
    const jobs = got.filter((t): t is TakenJob => t !== null);
    taken.push(...jobs);
    events += jobs.reduce((sum, t) => sum + (Array.isArray(t.job.data?.events) ? t.job.data.events.length : 0), 0);
    if (jobs.length < wave) break;
  }
  return taken;
}
