import { reap, type SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { endSilentSessions } from "./end-silent";

export interface ReapOptions {
  /** Sessions silent since before this (epoch ms) are stale. */
  cutoffMs: number;
  /** Most sessions ended by one call: the rest wait for the next tick. */
  limit: number;
}

/** Rule 6: ends up to `limit` stale sessions at their last activity (the lifecycle's `reap`). */
export function reapStaleSessions(prisma: PrismaClient, { cutoffMs, limit }: ReapOptions): Promise<SessionState[]> {
  return endSilentSessions(prisma, { cutoffMs, limit, end: (session) => reap(session, cutoffMs) });
}
