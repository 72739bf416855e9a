import { CLOSED_END, type SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { endSilentSessions, loadSessions } from "./end-silent";

export interface CleanupOptions {
  /** Open sessions whose last event is before this (epoch ms) are closed. */
  cutoffMs: number;
  dryRun: boolean;
  limit: number;
}

/**
 * A user's clean-up: closes (end_reason "closed", at the last event) every open session silent since
 * the cutoff. Returns the sessions as they are after the call (for a dry run: as they are now).
 */
export async function cleanupSessions(prisma: PrismaClient, { cutoffMs, dryRun, limit }: CleanupOptions): Promise<SessionState[]> {
  const ids = await endSilentSessions(prisma, { cutoffMs, limit, dryRun, end: CLOSED_END });
  return loadSessions(prisma, ids);
}
