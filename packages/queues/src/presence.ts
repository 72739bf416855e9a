import type { Redis } from "ioredis";

/**
 * Lifecycle rule 9: Pulse does not judge silence that overlaps its own downtime. While an ingest is
 * up it keeps `ingestUpSinceKey` alive; the key names when the current unbroken run of ingest began
 * (several ingests share it: the first one up sets it, all refresh it). The reaper reads it.
 */

/** How long the key outlives the last refresh: after this without an ingest, Pulse counts as down. */
export const PRESENCE_TTL_MS = 10_000;
/** How often each ingest refreshes it. */
export const PRESENCE_REFRESH_MS = 2_000;

/** Records that an ingest is up at `nowMs`: starts a new run if none is going on, else extends it. */
export async function markIngestUp(redis: Redis, key: string, nowMs: number): Promise<void> {
  const started = await redis.set(key, String(nowMs), "PX", PRESENCE_TTL_MS, "NX");
  if (started === null) await redis.pexpire(key, PRESENCE_TTL_MS);
}

/** Since when ingest has been up without a break, or null when no ingest is up. */
export async function ingestUpSince(redis: Redis, key: string): Promise<number | null> {
  const value = await redis.get(key);
  const ms = value === null ? NaN : Number(value);
  return Number.isFinite(ms) ? ms : null;
}
