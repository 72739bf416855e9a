import type { SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import { fromRow, SESSION_COLUMNS, type SessionStateRow, writeSessions } from "./rows";

export interface EndSilentOptions {
  /** Open sessions whose last event is before this (epoch ms) are candidates. */
  cutoffMs: number;
  /** Most sessions handled by one call; the rest wait for the next. */
  limit: number;
  /** The lifecycle's decision for one candidate (as it is under the lock): its ended state, or null to leave it. */
  end: (session: SessionState) => SessionState | null;
  /** Decide but write nothing; the sessions are returned as they are now. */
  dryRun?: boolean;
}

/**
 * Ends open sessions that have been silent since before a cutoff, in one transaction. Candidates are
 * locked with SKIP LOCKED: a session whose events are being applied right now is skipped (it is not
 * silent), and concurrent callers (several reapers) split the work instead of waiting on each other.
 */
export async function endSilentSessions(prisma: PrismaClient, { cutoffMs, limit, end, dryRun = false }: EndSilentOptions): Promise<SessionState[]> {
  const cutoff = new Date(cutoffMs);
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<SessionStateRow[]>`
        SELECT ${SESSION_COLUMNS} FROM sessions
        WHERE status IN ('active', 'waiting') AND last_event_at < ${cutoff}
        ORDER BY last_event_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      const decided = rows.map(fromRow).map((before) => ({ before, after: end(before) }));
      const ended = decided.filter((d): d is { before: SessionState; after: SessionState } => d.after !== null);
      if (dryRun) return ended.map((d) => d.before);
      await writeSessions(tx, ended.map((d) => d.after));
      return ended.map((d) => d.after);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
