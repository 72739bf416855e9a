import {
  concurrencyTimeline,
  type EndReason,
  type EventKind,
  type LifecycleEvent,
  NORMALIZED_KINDS,
  type SessionStatus,
  type Signal,
  SIGNALS,
  type Timeline,
  type TimelineOptions,
  type TimelineSession,
  timelineStep,
} from "@pulse/core";
import type { PrismaClient } from "@pulse/db";

/** Rows one chunk aims at: a chunk's JSON is parsed and folded in one synchronous stretch. */
const ROWS_PER_CHUNK = 20_000;
const FIRST_CHUNK_SESSIONS = 500;

type SessionRow = [
  id: string,
  source: string,
  status: string,
  endReason: string | null,
  endedMs: number | null,
  aliveMs: number | null,
];
type EventRow = [ms: number, id: number, kind: number, signal: number];

/**
 * Concurrent sessions over a window, replayed through the lifecycle (core's concurrencyTimeline), at
 * a cost bounded by what the chart can show rather than by the events in the window:
 * - Postgres keeps, per session and interval between two instants, only the events the replay reads
 *   there (the first, the last and the last status event; core's timeline-runs test proves the
 *   picture is the same), plus the newest event and status event before the window (index lookups,
 *   not a scan of the session's history): at most 3 × instants events per session, however busy.
 * - The replay counts a session over runs of instants at once: its cost is its rows, not its rows
 *   times the instants.
 * - Sessions are read and folded in chunks sized to ~ROWS_PER_CHUNK events, each awaited, so ingest's
 *   event loop answers other requests between them; sessions are independent, so chunks add up.
 */
export async function getTimeline(
  prisma: PrismaClient,
  window: TimelineOptions,
  { firstChunk = FIRST_CHUNK_SESSIONS }: { firstChunk?: number } = {},
): Promise<Timeline> {
  // Whole milliseconds, as stored (`hours=743.9999999` made a fractional start that SQL refused).
  const options = { ...window, fromMs: Math.floor(window.fromMs), toMs: Math.floor(window.toMs) };
  const from = new Date(options.fromMs);
  const to = new Date(options.toMs);
  const step = timelineStep(options);
  const [{ rows }] = await prisma.$queryRaw<Array<{ rows: string }>>`
    SELECT coalesce(json_agg(json_build_array(id, source, status, end_reason, (EXTRACT(EPOCH FROM ended_at) * 1000)::float8, (EXTRACT(EPOCH FROM alive_at) * 1000)::float8) ORDER BY id), '[]')::text AS rows
    FROM sessions WHERE started_at <= ${to} AND (ended_at IS NULL OR ended_at >= ${from}) AND last_event_at IS NOT NULL`;
  const sessions = JSON.parse(rows) as SessionRow[];
  let total: Timeline | null = null;
  let size = firstChunk;
  for (let at = 0; at < sessions.length || total === null;) {
    const chunk = sessions.slice(at, at + size);
    at += chunk.length;
    const events =
      chunk.length === 0
        ? new Map<string, LifecycleEvent[]>()
        : await readReducedEvents(
            prisma,
            chunk.map((s) => s[0]),
            { from, to, fromMs: options.fromMs, step, buckets: options.buckets },
          );
    const part = concurrencyTimeline(
      chunk.map((s) => toTimelineSession(s, events.get(s[0]) ?? [])),
      options,
    );
    total = total === null ? part : addTimelines(total, part);
    // The next chunk as large as keeps it near ROWS_PER_CHUNK, judging by this one.
    const rowsSeen = [...events.values()].reduce((n, list) => n + list.length, 0);
    size = Math.max(
      Math.min(10, firstChunk),
      Math.min(5_000, Math.floor((ROWS_PER_CHUNK * Math.max(1, chunk.length)) / Math.max(1, rowsSeen))),
    );
    if (chunk.length === 0) break;
  }
  return total!;
}

/** Kinds and signals cross the wire as their positions in these lists (1-based; 0: unknown). */
const KINDS: readonly string[] = NORMALIZED_KINDS;
const SIGNAL_NAMES: readonly string[] = SIGNALS;

async function readReducedEvents(
  prisma: PrismaClient,
  ids: string[],
  w: { from: Date; to: Date; fromMs: number; step: number; buckets: number },
): Promise<Map<string, LifecycleEvent[]>> {
  // An event is [ms, id, kind, signal] as bigints: arrays compare element by element, so min() and
  // max() of a group pick its first and last event in (time, id) order with one hash aggregate (no
  // sort per group). `bucket` is the first instant at or after the event (instants are
  // fromMs + k·step); events after the last instant share one bucket, whose first event is what
  // follows the last instant.
  const rows = await prisma.$queryRaw<Array<{ session_id: string; events: string }>>`
    WITH ids AS (SELECT unnest(${ids}::text[]) AS id),
    coded AS (
      SELECT session_id, signal, ARRAY[round(date_part('epoch', time) * 1000)::bigint, id, coalesce(array_position(${KINDS}::text[], kind), 0)::bigint, coalesce(array_position(${SIGNAL_NAMES}::text[], signal), 0)::bigint] AS e
      FROM events WHERE session_id = ANY(${ids}::text[]) AND time >= ${w.from} AND time <= ${w.to} AND kind <> 'span'
    ),
    grouped AS (
      SELECT session_id, min(e) AS first, max(e) AS last, max(e) FILTER (WHERE signal = 'status') AS last_status
      FROM coded GROUP BY session_id, LEAST(${w.buckets}::bigint, (e[1] - ${w.fromMs}::bigint + ${w.step}::bigint - 1) / ${w.step}::bigint)
    ),
    before AS (
      SELECT b.session_id, ARRAY[round(date_part('epoch', b.time) * 1000)::bigint, b.id, coalesce(array_position(${KINDS}::text[], b.kind), 0)::bigint, coalesce(array_position(${SIGNAL_NAMES}::text[], b.signal), 0)::bigint] AS e
      FROM ids CROSS JOIN LATERAL (
        (SELECT session_id, kind, signal, time, id FROM events e
         WHERE e.session_id = ids.id AND e.time < ${w.from} AND e.kind <> 'span' ORDER BY e.time DESC, e.id DESC LIMIT 1)
        UNION ALL
        (SELECT session_id, kind, signal, time, id FROM events e
         WHERE e.session_id = ids.id AND e.time < ${w.from} AND e.kind <> 'span' AND e.signal = 'status' ORDER BY e.time DESC, e.id DESC LIMIT 1)
      ) AS b
    ),
    kept AS (
      SELECT session_id, e FROM before
      UNION
      SELECT g.session_id, v.e FROM grouped g CROSS JOIN LATERAL (VALUES (g.first), (g.last), (g.last_status)) AS v(e) WHERE v.e IS NOT NULL
    )
    SELECT session_id, json_agg(e ORDER BY e)::text AS events FROM kept GROUP BY session_id`;
  const bySession = new Map<string, LifecycleEvent[]>();
  for (const row of rows) {
    const events = (JSON.parse(row.events) as EventRow[]).map(([ms, , kind, signal]): LifecycleEvent => ({
      kind: (KINDS[kind - 1] ?? "activity") as EventKind,
      time: ms,
      source: "",
      cwd: null,
      project: null,
      host: null,
      detail: null,
      waitingReason: null,
      endReason: null,
      endDetail: null,
      signal: (SIGNAL_NAMES[signal - 1] ?? "status") as Signal,
    }));
    bySession.set(row.session_id, events);
  }
  return bySession;
}

function toTimelineSession(
  [id, source, status, endReason, endedMs, aliveMs]: SessionRow,
  events: LifecycleEvent[],
): TimelineSession {
  return {
    id,
    source,
    status: status as SessionStatus,
    endReason: endReason as EndReason | null,
    endedAt: endedMs,
    aliveAt: aliveMs,
    events,
  };
}

function addTimelines(a: Timeline, b: Timeline): Timeline {
  return {
    ...a,
    points: a.points.map((p, i) => ({
      t: p.t,
      working: p.working + b.points[i].working,
      waiting: p.waiting + b.points[i].waiting,
    })),
  };
}
