import type { Queue } from "bullmq";

/** The job states counted per queue (BullMQ's names: "waiting" is a job waiting for a worker). */
export const JOB_STATES = ["waiting", "active", "delayed", "failed"] as const;

export interface QueueReading {
  queue: string;
  counts: Record<(typeof JOB_STATES)[number], number>;
  /** When the oldest job waiting for a worker was added (epoch ms), or null when none waits. */
  oldestWaitingAt: number | null;
}

/**
 * Counts and the oldest waiting job of one queue: a few commands, never a job's data (an events
 * job carries a whole batch). The oldest job is at the tail of the wait list (asc = oldest first).
 */
export async function readQueue(queue: Queue): Promise<QueueReading> {
  const [counts, [oldestId]] = await Promise.all([
    queue.getJobCounts(...JOB_STATES),
    queue.getRanges(["waiting"], 0, 0, true),
  ]);
  let oldestWaitingAt: number | null = null;
  if (oldestId !== undefined) {
    const client = await queue.client;
    const timestamp = Number(await client.hget(queue.toKey(oldestId), "timestamp"));
    // Taken by a worker in between: its hash is still there; removed: no time, counted as none.
    if (Number.isFinite(timestamp) && timestamp > 0) oldestWaitingAt = timestamp;
  }
  return {
    queue: queue.name,
    counts: Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as QueueReading["counts"],
    oldestWaitingAt,
  };
}
