import type { PrismaClient } from "@pulse/db";

export interface PruneResult {
  sessions: number;
  events: number;
}

/**
 * Retention: deletes up to `limit` sessions that ended before the cutoff, with their events, in one
 * statement. Open sessions are never touched, however old their events (a live session keeps its
 * whole history: rule 13 folds it). Rows being written right now are skipped (SKIP LOCKED), and
 * concurrent callers split the work.
 */
export async function pruneEndedSessions(
  prisma: PrismaClient,
  { endedBeforeMs, limit }: { endedBeforeMs: number; limit: number },
): Promise<PruneResult> {
  const [row] = await prisma.$queryRaw<Array<{ sessions: number; events: number }>>`
    WITH doomed AS (
      SELECT id FROM sessions WHERE status = 'ended' AND ended_at < ${new Date(endedBeforeMs)}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), gone_events AS (
      DELETE FROM events AS e USING doomed AS d WHERE e.session_id = d.id RETURNING 1
    ), gone AS (
      DELETE FROM sessions AS s USING doomed AS d WHERE s.id = d.id RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone)::int AS sessions, (SELECT count(*) FROM gone_events)::int AS events`;
  return row;
}
