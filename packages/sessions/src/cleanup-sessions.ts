import { CLOSED_END, type SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { endStaleSessions, loadSessions } from "./stale-sweep";

export interface CleanupOptions {
  /** Open sessions whose last event is before this (epoch ms) are closed. */
  cutoffMs: number;
  dryRun: boolean;
  limit: number;
  /** Only these sessions: what a dry run listed and the user confirmed. */
  ids?: string[];
}

/**
 * A user's clean-up: closes (end_reason "closed", at the last event) every open session silent since
 * the cutoff. Returns the sessions as they are after the call (for a dry run: as they are now).
 */
export async function cleanupSessions(
  prisma: PrismaClient,
  { cutoffMs, dryRun, limit, ids }: CleanupOptions,
): Promise<SessionState[]> {
  const ended = await endStaleSessions(prisma, { cutoffMs, limit, dryRun, end: CLOSED_END, ids });
  return loadSessions(prisma, ended);
}
