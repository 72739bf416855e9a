import { reap, type SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { fromRow, SESSION_COLUMNS, type SessionStateRow, writeSessions } from "./rows";

export interface ReapOptions {
  /** Sessions silent since before this (epoch ms) are stale. */
  cutoffMs: number;
  /** Most sessions ended by one call: the rest wait for the next tick. */
  limit: number;
}

/**
 * Ends up to `limit` stale sessions in one transaction. Candidates are locked with SKIP LOCKED: a
 * session whose events are being applied right now is skipped (and is no longer stale once they
 * land), and several reapers split the work instead of waiting on each other. Under the lock each
 * candidate is judged again by the lifecycle's `reap`, on the row as it is now.
 */
export async function reapStaleSessions(prisma: PrismaClient, { cutoffMs, limit }: ReapOptions): Promise<SessionState[]> {
  const cutoff = new Date(cutoffMs);
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<SessionStateRow[]>`
        SELECT ${SESSION_COLUMNS} FROM sessions
        WHERE status IN ('active', 'waiting') AND last_event_at < ${cutoff}
        ORDER BY last_event_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      const reaped = rows.map((row) => reap(fromRow(row), cutoffMs)).filter((s): s is SessionState => s !== null);
      await writeSessions(tx, reaped);
      return reaped;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
