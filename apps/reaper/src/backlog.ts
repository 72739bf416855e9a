import type { Queue } from "bullmq";
import { OUTAGE_REASON_PREFIX } from "./workers/apply-failure";

/** Delayed jobs looked at: retries wait in `delayed` ordered by when they run next, not by age. */
const DELAYED_LOOKED_AT = 50;

/**
 * When the oldest job still pending in a queue was enqueued (epoch ms), or null when none is.
 * Reads only job ids and two small fields: jobs carry whole event batches, too big to load.
 *
 * A delayed job that failed for anything but an outage (its failure reason says which, see
 * apply-failure.ts) does not count: it holds only events that failed on their own, and would hold
 * every sweep for as long as it is retried (days) while nothing says it will ever succeed. A retry
 * after an outage counts: its events land once Postgres is back, and sessions must not be judged
 * before.
 */
export async function oldestPendingJobAt(queue: Queue): Promise<number | null> {
  const [heads, delayed] = await Promise.all([
    queue.getRanges(["active", "waiting", "prioritized"], 0, 0, true),
    queue.getRanges(["delayed"], 0, DELAYED_LOOKED_AT - 1, true),
  ]);
  const ids = [...new Set([...heads, ...delayed])];
  if (ids.length === 0) return null;
  const retried = new Set(delayed);
  const client = await queue.client;
  // Sent back to back on one connection: one round trip in practice.
  const fields = await Promise.all(ids.map((id) => client.hmget(queue.toKey(id), "timestamp", "failedReason")));
  const times = fields
    .filter(([, reason], i) => !retried.has(ids[i]) || !reason || reason.startsWith(OUTAGE_REASON_PREFIX))
    .map(([timestamp]) => Number(timestamp))
    .filter((t) => Number.isFinite(t) && t > 0);
  return times.length ? Math.min(...times) : null;
}
