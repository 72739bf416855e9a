import { CLEAR_LINK_WINDOW_MS, CLEAR_REASON, type SessionState } from "@pulse/core";
import { Prisma } from "@pulse/db";
import { type Db, selectSessions } from "./rows";

/**
 * Sets `parent_session_id` on sessions that started with `/clear`, pointing at the session in the
 * same cwd that ended "clear" nearest before them (see CLEAR_LINK_WINDOW_MS). Runs from either side:
 * for new sessions that started "clear", and for sessions that just ended "clear" (their successor
 * may have landed first). Returns the sessions it linked, as they are now.
 */
export async function linkClearedSessions(db: Db, changed: SessionState[]): Promise<Map<string, SessionState>> {
  const children = changed
    .filter((s) => s.startReason === CLEAR_REASON && s.parentSessionId === null && s.cwd)
    .map((s) => s.id);
  const cwds = [...new Set(changed.filter((s) => s.endDetail === CLEAR_REASON && s.cwd).map((s) => s.cwd!))];
  if (children.length === 0 && cwds.length === 0) return new Map();
  const windowSeconds = CLEAR_LINK_WINDOW_MS / 1000;
  const linked = await db.$queryRaw<Array<{ id: string }>>`
    WITH candidates AS (
      SELECT c.id AS child_id, (
        SELECT p.id FROM sessions p
        WHERE p.cwd = c.cwd AND p.id <> c.id AND p.end_detail = ${CLEAR_REASON}
          AND p.ended_at BETWEEN c.started_at - make_interval(secs => ${windowSeconds}) AND c.started_at + make_interval(secs => ${windowSeconds})
        ORDER BY abs(EXTRACT(EPOCH FROM (c.started_at - p.ended_at))), p.ended_at DESC
        LIMIT 1) AS parent
      FROM sessions c
      WHERE c.parent_session_id IS NULL AND c.start_reason = ${CLEAR_REASON} AND c.cwd IS NOT NULL
        AND (c.id = ANY(${children}::text[]) OR c.cwd = ANY(${cwds}::text[]))
    )
    UPDATE sessions s SET parent_session_id = candidates.parent, updated_at = now()
    FROM candidates WHERE s.id = candidates.child_id AND candidates.parent IS NOT NULL
    RETURNING s.id`;
  if (linked.length === 0) return new Map();
  const sessions = await selectSessions(
    db,
    Prisma.sql`SELECT * FROM sessions WHERE id = ANY(${linked.map((r) => r.id)}::text[])`,
  );
  return new Map(sessions.map((session) => [session.id, session]));
}
