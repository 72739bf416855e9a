import { STALE_END } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { endStaleSessions } from "./stale-sweep";

export interface ReapOptions {
  /** Sessions silent since before this (epoch ms) are stale. */
  cutoffMs: number;
  /** Most sessions ended by one call: the rest wait for the next tick. */
  limit: number;
}

/** Rule 6: ends up to `limit` stale sessions at their last activity. Returns their ids. */
export function reapStaleSessions(prisma: PrismaClient, { cutoffMs, limit }: ReapOptions): Promise<string[]> {
  return endStaleSessions(prisma, { cutoffMs, limit, end: STALE_END });
}
