import { concurrencyTimeline, type CostByProjectJson, type DailyStatsJson, type EndReason, type StatsJson, type EventKind, type LifecycleEvent, type SessionStatus, type Signal, type Timeline, type TimelineSession } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";

const DAY_MS = 24 * 3600_000;
const TIMELINE_CHUNK = 2_000;

/** What happened since a moment: sessions by `ended_at`, usage by event time. */
export interface WindowStats {
  ended: number;
  reaped: number;
  avg_duration_ms: number | null;
  cost_usd: number;
  /** Pulse's estimate, kept apart from the reported cost (never summed with it). */
  estimated_cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
}

export async function windowStats(prisma: PrismaClient, fromMs: number): Promise<WindowStats> {
  const from = new Date(fromMs);
  const [[ends], [usage]] = await Promise.all([
    prisma.$queryRaw<Array<{ ended: number; reaped: number; avg_ms: number | null }>>`
      SELECT count(*)::int AS ended,
             count(*) FILTER (WHERE end_reason = 'stale')::int AS reaped,
             round(avg(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000))::float8 AS avg_ms
      FROM sessions WHERE status = 'ended' AND ended_at >= ${from}`,
    prisma.$queryRaw<Array<Record<string, number | null>>>`
      SELECT sum(cost_micros)::float8 AS cost, sum(estimated_cost_micros)::float8 AS estimated, sum(input_tokens)::float8 AS input, sum(output_tokens)::float8 AS output,
             sum(cache_read_tokens)::float8 AS cache_read, sum(cache_creation_tokens)::float8 AS cache_creation
      FROM events WHERE time >= ${from} AND (cost_micros IS NOT NULL OR input_tokens IS NOT NULL OR output_tokens IS NOT NULL)`,
  ]);
  return {
    ended: ends.ended,
    reaped: ends.reaped,
    avg_duration_ms: ends.avg_ms,
    cost_usd: (usage.cost ?? 0) / 1_000_000,
    estimated_cost_usd: (usage.estimated ?? 0) / 1_000_000,
    input_tokens: usage.input ?? 0,
    output_tokens: usage.output ?? 0,
    cache_read_tokens: usage.cache_read ?? 0,
    cache_creation_tokens: usage.cache_creation ?? 0,
  };
}

export type SessionStats = StatsJson;

export async function getStats(prisma: PrismaClient, nowMs: number, sinceMs?: number): Promise<SessionStats> {
  const [[counts], day, since] = await Promise.all([
    prisma.$queryRaw<Array<{ active: number; waiting: number; ended: number; total: number }>>`
      SELECT count(*) FILTER (WHERE status = 'active')::int AS active,
             count(*) FILTER (WHERE status = 'waiting')::int AS waiting,
             count(*) FILTER (WHERE status = 'ended')::int AS ended,
             count(*)::int AS total
      FROM sessions WHERE last_event_at IS NOT NULL`,
    windowStats(prisma, nowMs - DAY_MS),
    sinceMs === undefined ? undefined : windowStats(prisma, sinceMs),
  ]);
  const stats: SessionStats = {
    ...counts,
    reaped_24h: day.reaped,
    avg_duration_ms_24h: day.avg_duration_ms,
    cost_usd_24h: day.cost_usd,
    estimated_cost_usd_24h: day.estimated_cost_usd,
    input_tokens_24h: day.input_tokens,
    output_tokens_24h: day.output_tokens,
    cache_read_tokens_24h: day.cache_read_tokens,
    cache_creation_tokens_24h: day.cache_creation_tokens,
  };
  if (since && sinceMs !== undefined) {
    stats.since = { from: new Date(sinceMs).toISOString(), ended: since.ended, reaped: since.reaped, avg_duration_ms: since.avg_duration_ms, cost_usd: since.cost_usd, estimated_cost_usd: since.estimated_cost_usd };
  }
  return stats;
}

/** Concurrent sessions over a window, replayed through the lifecycle (see core's concurrencyTimeline). */
export async function getTimeline(prisma: PrismaClient, options: { fromMs: number; toMs: number; buckets: number; staleTimeoutMs: number }): Promise<Timeline> {
  const from = new Date(options.fromMs);
  const to = new Date(options.toMs);
  const rows = await prisma.$queryRaw<Array<{ id: string; source: string; status: string; end_reason: string | null; ended_ms: number | null; alive_ms: number | null }>>`
    SELECT id, source, status, end_reason, (EXTRACT(EPOCH FROM ended_at) * 1000)::float8 AS ended_ms, (EXTRACT(EPOCH FROM alive_at) * 1000)::float8 AS alive_ms FROM sessions
    WHERE started_at <= ${to} AND (ended_at IS NULL OR ended_at >= ${from}) AND last_event_at IS NOT NULL`;
  const bySession = new Map<string, LifecycleEvent[]>();
  // Read in chunks of sessions: each result is mapped in one synchronous stretch on this (ingest's)
  // event loop, and a chunk keeps that stretch short for the requests waiting behind it.
  for (let i = 0; i < rows.length; i += TIMELINE_CHUNK) {
    const ids = rows.slice(i, i + TIMELINE_CHUNK).map((r) => r.id);
    // Times as epoch-ms numbers: building 100,000 Dates costs more than the query.
    // Before the window: the newest event (the last sign of activity) and the newest status event
    // (what the status was: telemetry never changes it, lifecycle rule 6); UNION drops the one row
    // that is both.
    const events = await prisma.$queryRaw<Array<{ session_id: string; kind: string; signal: string; ms: number }>>`
      SELECT session_id, kind, signal, (EXTRACT(EPOCH FROM time) * 1000)::float8 AS ms FROM (
        (SELECT DISTINCT ON (session_id) session_id, kind, signal, time, id FROM events
         WHERE session_id = ANY(${ids}::text[]) AND time < ${from} AND kind <> 'span' ORDER BY session_id, time DESC, id DESC)
        UNION
        (SELECT DISTINCT ON (session_id) session_id, kind, signal, time, id FROM events
         WHERE session_id = ANY(${ids}::text[]) AND time < ${from} AND kind <> 'span' AND signal = 'status' ORDER BY session_id, time DESC, id DESC)
        UNION ALL
        (SELECT session_id, kind, signal, time, id FROM events WHERE session_id = ANY(${ids}::text[]) AND time >= ${from} AND time <= ${to} AND kind <> 'span')
      ) AS e ORDER BY session_id, time, id`;
    for (const e of events) {
      const list = bySession.get(e.session_id) ?? [];
      list.push({ kind: e.kind as EventKind, time: e.ms, source: "", cwd: null, project: null, host: null, detail: null, waitingReason: null, endReason: null, endDetail: null, signal: e.signal as Signal });
      bySession.set(e.session_id, list);
    }
  }
  const sessions: TimelineSession[] = rows.map((row) => ({
    id: row.id,
    source: row.source,
    status: row.status as SessionStatus,
    endReason: row.end_reason as EndReason | null,
    endedAt: row.ended_ms,
    aliveAt: row.alive_ms,
    events: bySession.get(row.id) ?? [],
  }));
  return concurrencyTimeline(sessions, options);
}

export type DailyStats = DailyStatsJson;

/** One entry per calendar day (in `tz`) for the last `days` days, oldest first, zero days included. */
export async function getDailyStats(prisma: PrismaClient, { days, tz, nowMs }: { days: number; tz: string; nowMs: number }): Promise<DailyStats> {
  const now = new Date(nowMs);
  const rows = await prisma.$queryRaw<Array<{ date: string; sessions: number; ended: number; avg_ms: number | null; cost: number | null; estimated: number | null }>>`
    WITH days AS (
      SELECT d::date AS date,
             (d::timestamp AT TIME ZONE ${tz}) AS starts,
             ((d + interval '1 day')::timestamp AT TIME ZONE ${tz}) AS ends
      FROM generate_series((${now}::timestamptz AT TIME ZONE ${tz})::date - (${days}::int - 1), (${now}::timestamptz AT TIME ZONE ${tz})::date, interval '1 day') AS d
    )
    SELECT days.date::text AS date,
      (SELECT count(*)::int FROM sessions s WHERE s.started_at >= days.starts AND s.started_at < days.ends) AS sessions,
      (SELECT count(*)::int FROM sessions s WHERE s.status = 'ended' AND s.ended_at >= days.starts AND s.ended_at < days.ends) AS ended,
      (SELECT round(avg(EXTRACT(EPOCH FROM (s.ended_at - s.started_at)) * 1000))::float8 FROM sessions s
        WHERE s.status = 'ended' AND s.ended_at >= days.starts AND s.ended_at < days.ends) AS avg_ms,
      spent.cost, spent.estimated
    FROM days
    -- Only events that report usage (the predicate of the partial index events_usage_time_idx: an
    -- estimate is only ever made for an event with tokens).
    LEFT JOIN LATERAL (
      SELECT sum(e.cost_micros)::float8 AS cost, sum(e.estimated_cost_micros)::float8 AS estimated FROM events e
      WHERE e.time >= days.starts AND e.time < days.ends AND (e.cost_micros IS NOT NULL OR e.input_tokens IS NOT NULL OR e.output_tokens IS NOT NULL)
    ) AS spent ON true
    ORDER BY days.date`;
  return {
    tz,
    days: rows.map((r) => ({
      date: r.date,
      sessions: r.sessions,
      ended: r.ended,
      avg_duration_ms: r.avg_ms,
      cost_usd: (r.cost ?? 0) / 1_000_000,
      estimated_cost_usd: (r.estimated ?? 0) / 1_000_000,
    })),
  };
}

export type CostByProject = CostByProjectJson;

/** Cost per project per calendar day (in `tz`) by event time, for the last `days` days: reported and estimated apart. */
export async function getCostByProject(prisma: PrismaClient, { days, tz, nowMs }: { days: number; tz: string; nowMs: number }): Promise<CostByProject> {
  const now = new Date(nowMs);
  const rows = await prisma.$queryRaw<Array<{ date: string; project: string | null; cost: number | null; estimated: number | null }>>`
    SELECT (e.time AT TIME ZONE ${tz})::date::text AS date, s.project, sum(e.cost_micros)::float8 AS cost, sum(e.estimated_cost_micros)::float8 AS estimated
    FROM events e JOIN sessions s ON s.id = e.session_id
    WHERE (e.cost_micros IS NOT NULL OR e.input_tokens IS NOT NULL OR e.output_tokens IS NOT NULL)
      AND e.time >= (((${now}::timestamptz AT TIME ZONE ${tz})::date - (${days}::int - 1))::timestamp AT TIME ZONE ${tz})
    GROUP BY 1, 2
    HAVING sum(e.cost_micros) IS NOT NULL OR sum(e.estimated_cost_micros) IS NOT NULL
    ORDER BY 1, 2`;
  return { tz, days: rows.map((r) => ({ date: r.date, project: r.project, cost_usd: (r.cost ?? 0) / 1_000_000, estimated_cost_usd: (r.estimated ?? 0) / 1_000_000 })) };
}
