import { type InferredEnd, NEEDS_YOU_REASONS, type SessionState } from "@pulse/core";
import { Prisma, type PrismaClient } from "@pulse/db";
import { recordInferredEnds } from "./history";
import { selectSessions } from "./rows";

export interface StaleSweepOptions {
  /** Open sessions whose last sign of life (event or proof of life, lifecycle rule 8) is before this (epoch ms) are ended. */
  cutoffMs: number;
  /** Most sessions ended by one call; the rest wait for the next. */
  limit: number;
  /** The lifecycle's inferred end to apply (core's STALE_END or CLOSED_END). */
  end: InferredEnd;
  /** List what would be ended, change nothing. */
  dryRun?: boolean;
  /** Only these sessions (still subject to the cutoff): ends exactly what a dry run listed. */
  ids?: string[];
}

/**
 * Ends up to `limit` stale sessions (open, and silent since before the cutoff: no event and no proof
 * of life), in one statement, at their last sign of life: the candidate test is the lifecycle's
 * `isStale`, the change is the lifecycle's `InferredEnd` (the same that `reap`/`close` apply to one
 * session), so 100,000 sessions cost one round trip, not 100,000.
 *
 * Candidates are locked with SKIP LOCKED: a session whose events are being applied right now is
 * skipped (it is not silent), and concurrent callers (several reapers) split the work instead of
 * waiting on each other. Returns the ids it ended.
 */
export async function endStaleSessions(
  prisma: PrismaClient,
  { cutoffMs, limit, end, dryRun = false, ids: onlyIds }: StaleSweepOptions,
): Promise<string[]> {
  const cutoff = new Date(cutoffMs);
  const only = onlyIds ? Prisma.sql`AND id = ANY(${onlyIds}::text[])` : Prisma.empty;
  if (dryRun) {
    const rows = await prisma.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM sessions WHERE status <> 'ended' AND GREATEST(last_event_at, alive_at) < ${cutoff} ${only}
      ORDER BY GREATEST(last_event_at, alive_at), id LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }
  // Candidates in index order, not sorted: which stale sessions a bounded sweep takes first does not
  // matter (the rest are taken next), and sorting 100,000 of them would. Ids come back as one text.
  const [{ ids }] = await prisma.$queryRaw<Array<{ ids: string }>>`
    WITH candidates AS (
      SELECT id FROM sessions
      WHERE status <> 'ended' AND GREATEST(last_event_at, alive_at) < ${cutoff} ${only}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), ended AS (
      UPDATE sessions AS s SET
        status = ${end.status}, end_reason = ${end.endReason}, waiting_reason = NULL, end_detail = NULL,
        -- Lifecycle rule 14 (waitEnded): a wait that needed the user ends at the last sign of life.
        waited_ms = s.waited_ms + CASE
          WHEN s.status = 'waiting' AND s.waiting_since IS NOT NULL AND s.waiting_reason = ANY(${NEEDS_YOU_REASONS as string[]}::text[])
          THEN GREATEST(0, (EXTRACT(EPOCH FROM GREATEST(COALESCE(s.last_event_at, s.started_at), s.alive_at) - s.waiting_since) * 1000)::bigint)
          ELSE 0 END,
        waiting_since = NULL, waiting_detail = NULL,
        ended_at = GREATEST(COALESCE(s.last_event_at, s.started_at), s.alive_at),
        status_at = GREATEST(COALESCE(s.last_event_at, s.started_at), s.alive_at),
        updated_at = now()
      FROM candidates WHERE s.id = candidates.id
      RETURNING s.id, s.source, s.ended_at
    ), recorded AS (${recordInferredEnds("ended", end.endReason)})
    SELECT coalesce(json_agg(id), '[]')::text AS ids FROM ended`;
  return JSON.parse(ids) as string[];
}

/** Reads sessions by id, in the order given (chunked: the reaper may pass 100,000). */
export async function loadSessions(prisma: PrismaClient, ids: string[], chunk = 5000): Promise<SessionState[]> {
  const byId = new Map<string, SessionState>();
  for (let i = 0; i < ids.length; i += chunk) {
    const part = ids.slice(i, i + chunk);
    for (const session of await selectSessions(
      prisma,
      Prisma.sql`SELECT * FROM sessions WHERE id = ANY(${part}::text[])`,
    ))
      byId.set(session.id, session);
  }
  return ids.map((id) => byId.get(id)).filter((s): s is SessionState => s !== undefined);
}
