import { close, type SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { endSilentSessions } from "./end-silent";

export interface CleanupOptions {
  /** Open sessions whose last event is before this (epoch ms) are closed. */
  cutoffMs: number;
  dryRun: boolean;
  limit: number;
}

/** A user's clean-up: closes (end_reason "closed", at the last event) every open session silent since the cutoff. */
export function cleanupSessions(prisma: PrismaClient, { cutoffMs, dryRun, limit }: CleanupOptions): Promise<SessionState[]> {
  return endSilentSessions(prisma, { cutoffMs, limit, dryRun, end: close });
}
