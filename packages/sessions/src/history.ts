import { type HistoryEvent, type NormalizedEvent, toLifecycleEvent } from "@pulse/core";
import { Prisma } from "@pulse/db";
import type { Db } from "./rows";

/**
 * Lifecycle rule 13 in the store: what each stored event keeps so its session can be folded again
 * (the `events.lifecycle` column), and the reading back of whole histories.
 */

/** Longest history folded again; a longer one (rare: tens of thousands of events) is extended one by one. */
export const HISTORY_LIMIT = 50_000;

/** The `lifecycle` column of an event: what the lifecycle reads beyond the event's own columns. */
type LifecycleColumn = Pick<
  NormalizedEvent,
  "cwd" | "project" | "host" | "waiting_reason" | "end_reason" | "end_detail" | "title" | "usage"
>;

export function lifecycleColumn(e: NormalizedEvent): LifecycleColumn {
  return {
    cwd: e.cwd,
    project: e.project,
    host: e.host,
    waiting_reason: e.waiting_reason,
    end_reason: e.end_reason,
    end_detail: e.end_detail,
    title: e.title,
    usage: e.usage,
  };
}

/** A queued event as the history holds it. */
export const toHistoryEvent = (e: NormalizedEvent): HistoryEvent => ({ ...toLifecycleEvent(e), key: e.key });

type Row = [
  sessionId: string,
  key: string,
  kind: HistoryEvent["kind"],
  signal: HistoryEvent["signal"],
  time: number,
  source: string,
  detail: string | null,
  tool: string | null,
  lifecycle: Partial<LifecycleColumn> | null,
];

/**
 * The stored histories of these sessions (inside the batch's transaction, so the events it just
 * inserted are there). A session with an event from before the `lifecycle` column, or with more than
 * HISTORY_LIMIT events, maps to null: it cannot be folded again and is extended one by one instead.
 */
export async function loadHistories(db: Db, sessionIds: string[]): Promise<Map<string, HistoryEvent[] | null>> {
  const histories = new Map<string, HistoryEvent[] | null>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return histories;
  const counts = await db.$queryRaw<Array<{ session_id: string; n: number; missing: number }>>`
    SELECT session_id, count(*)::int AS n, count(*) FILTER (WHERE lifecycle IS NULL)::int AS missing
    FROM events WHERE session_id = ANY(${sessionIds}::text[]) GROUP BY session_id`;
  const foldable = counts.filter((c) => c.missing === 0 && c.n <= HISTORY_LIMIT).map((c) => c.session_id);
  for (const c of counts) if (!foldable.includes(c.session_id)) histories.set(c.session_id, null);
  if (foldable.length === 0) return histories;
  const [{ rows }] = await db.$queryRaw<Array<{ rows: string }>>`
    SELECT coalesce(json_agg(json_build_array(session_id, key, kind, signal, (EXTRACT(EPOCH FROM time) * 1000)::bigint, source, detail, tool, lifecycle)), '[]')::text AS rows
    FROM events WHERE session_id = ANY(${foldable}::text[])`;
  for (const [sessionId, key, kind, signal, time, source, detail, tool, l] of JSON.parse(rows) as Row[]) {
    histories.get(sessionId)!.push({
      key,
      kind,
      signal,
      time: Number(time),
      source,
      detail,
      tool,
      cwd: l?.cwd ?? null,
      project: l?.project ?? null,
      host: l?.host ?? null,
      waitingReason: l?.waiting_reason ?? null,
      endReason: l?.end_reason ?? null,
      endDetail: l?.end_detail ?? null,
      title: l?.title ?? null,
      usage: l?.usage ?? null,
    });
  }
  return histories;
}

/**
 * An end Pulse inferred, recorded as an event of the session's history (rule 13): the statement part
 * that inserts it for every row of `ended` (a CTE with `id`, `source`, `ended_at`).
 */
export function recordInferredEnds(endedCte: string, reason: "stale" | "closed"): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO events (session_id, key, source, kind, signal, name, time, received_at, lifecycle)
    SELECT e.id, ${`pulse:${reason}:`} || (EXTRACT(EPOCH FROM e.ended_at) * 1000)::bigint, e.source, 'end', 'status', ${`pulse.${reason}`}, e.ended_at, now(),
      jsonb_build_object('end_reason', ${reason}::text)
    FROM ${Prisma.raw(endedCte)} AS e
    ON CONFLICT (session_id, key) DO NOTHING`;
}
