import type { Queue } from "bullmq";

/**
 * When the oldest job still pending in a queue was enqueued (epoch ms), or null when none is.
 * Reads only job ids and their `timestamp` field: jobs carry whole event batches, too big to load.
 */
export async function oldestPendingJobAt(queue: Queue): Promise<number | null> {
  const [heads, delayed] = await Promise.all([
    queue.getRanges(["active", "waiting", "prioritized"], 0, 0, true),
    // Retries wait in `delayed`, ordered by when they run next, not by age: look at a few.
    queue.getRanges(["delayed"], 0, 49, true),
  ]);
  const ids = [...new Set([...heads, ...delayed])];
  if (ids.length === 0) return null;
  const client = await queue.client;
  // Sent back to back on one connection: one round trip in practice.
  const stamps = await Promise.all(ids.map((id) => client.hget(queue.toKey(id), "timestamp")));
  const times = stamps.map(Number).filter((t) => Number.isFinite(t) && t > 0);
  return times.length ? Math.min(...times) : null;
}
