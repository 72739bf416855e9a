import { METRICS_FIELDS } from "@pulse/queues";
import type { Redis } from "ioredis";

/** What the reapers counted in the metrics hash, summed over every reaper process. */
export interface ReaperCounts {
  /** Sweeps by result: `swept` (sessions judged), or why a sweep judged nothing. */
  sweeps: Map<string, number>;
  endedStale: number;
}

/** A skip reason is the reaper's own word (`backlog`, …): anything else in the hash is not one. */
const SKIP_REASON = /^[a-z_]{1,32}$/;

const count = (text: string | undefined) => {
  const n = Number(text ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

/** Parses the metrics hash (HGETALL): only the fields Pulse writes are read. */
export function parseReaperCounts(hash: Record<string, string>): ReaperCounts {
  const sweeps = new Map([["swept", count(hash[METRICS_FIELDS.reaperSweeps])]]);
  for (const [field, value] of Object.entries(hash)) {
    if (!field.startsWith(METRICS_FIELDS.reaperSweepsSkipped)) continue;
    const reason = field.slice(METRICS_FIELDS.reaperSweepsSkipped.length);
    if (SKIP_REASON.test(reason) && reason !== "swept") sweeps.set(reason, count(value));
  }
  return { sweeps, endedStale: count(hash[METRICS_FIELDS.reaperEndedStale]) };
}

export async function readReaperCounts(redis: Redis, key: string): Promise<ReaperCounts> {
  return parseReaperCounts(await redis.hgetall(key));
}
