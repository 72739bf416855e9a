import type { CostByProjectJson, DailyStatsJson, StatsJson } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";

const DAY_MS = 24 * 3600_000;

/** What happened since a moment: sessions by `ended_at`, usage by event time. */
export interface WindowStats {
  ended: number;
  stale: number;
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
    prisma.$queryRaw<Array<{ ended: number; stale: number; avg_ms: number | null }>>`
      SELECT count(*)::int AS ended,
             count(*) FILTER (WHERE end_reason = 'stale')::int AS stale,
             round(avg(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000))::float8 AS avg_ms
      FROM sessions WHERE status = 'ended' AND ended_at >= ${from}`,
    prisma.$queryRaw<Array<Record<string, number | null>>>`
      SELECT sum(cost_micros)::float8 AS cost, sum(estimated_cost_micros)::float8 AS estimated, sum(input_tokens)::float8 AS input, sum(output_tokens)::float8 AS output,
             sum(cache_read_tokens)::float8 AS cache_read, sum(cache_creation_tokens)::float8 AS cache_creation
      FROM events WHERE time >= ${from} AND (cost_micros IS NOT NULL OR input_tokens IS NOT NULL OR output_tokens IS NOT NULL)`,
  ]);
  return {
    ended: ends.ended,
    stale: ends.stale,
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
    stale_24h: day.stale,
    avg_duration_ms_24h: day.avg_duration_ms,
    cost_usd_24h: day.cost_usd,
    estimated_cost_usd_24h: day.estimated_cost_usd,
    input_tokens_24h: day.input_tokens,
    output_tokens_24h: day.output_tokens,
    cache_read_tokens_24h: day.cache_read_tokens,
    cache_creation_tokens_24h: day.cache_creation_tokens,
  };
  if (since && sinceMs !== undefined) {
    stats.since = {
      from: new Date(sinceMs).toISOString(),
      ended: since.ended,
      stale: since.stale,
      avg_duration_ms: since.avg_duration_ms,
      cost_usd: since.cost_usd,
      estimated_cost_usd: since.estimated_cost_usd,
    };
  }
  return stats;
}

export type DailyStats = DailyStatsJson;

/** One entry per calendar day (in `tz`) for the last `days` days, oldest first, zero days included. */
export async function getDailyStats(
  prisma: PrismaClient,
  { days, tz, nowMs }: { days: number; tz: string; nowMs: number },
): Promise<DailyStats> {
  const now = new Date(nowMs);
  // One pass over each table for the whole range, grouped by local date (a day's events are those
  // whose time in \`tz\` falls on it): a query per day (three correlated subqueries for each) cost
  // 16–24 s of Postgres at 366 days.
  const rows = await prisma.$queryRaw<
    Array<{
      date: string;
      sessions: number;
      ended: number;
      avg_ms: number | null;
      cost: number | null;
      estimated: number | null;
      waited: number | null;
    }>
  >`
    WITH days AS (
      SELECT d::date AS date
      FROM generate_series((${now}::timestamptz AT TIME ZONE ${tz})::date - (${days}::int - 1), (${now}::timestamptz AT TIME ZONE ${tz})::date, interval '1 day') AS d
    ),
    bounds AS (
      SELECT (min(date)::timestamp AT TIME ZONE ${tz}) AS starts, ((max(date) + 1)::timestamp AT TIME ZONE ${tz}) AS ends FROM days
    ),
    started AS (
      SELECT (s.started_at AT TIME ZONE ${tz})::date AS date, count(*)::int AS n, sum(s.waited_ms)::float8 AS waited
      FROM sessions s, bounds WHERE s.started_at >= bounds.starts AND s.started_at < bounds.ends GROUP BY 1
    ),
    ended AS (
      SELECT (s.ended_at AT TIME ZONE ${tz})::date AS date, count(*)::int AS n, round(avg(EXTRACT(EPOCH FROM (s.ended_at - s.started_at)) * 1000))::float8 AS avg_ms
      FROM sessions s, bounds WHERE s.status = 'ended' AND s.ended_at >= bounds.starts AND s.ended_at < bounds.ends GROUP BY 1
    ),
    -- Only events that report usage (the predicate of the partial index events_usage_time_idx: an
    -- estimate is only ever made for an event with tokens).
    spent AS (
      SELECT (e.time AT TIME ZONE ${tz})::date AS date, sum(e.cost_micros)::float8 AS cost, sum(e.estimated_cost_micros)::float8 AS estimated
      FROM events e, bounds WHERE e.time >= bounds.starts AND e.time < bounds.ends AND (e.cost_micros IS NOT NULL OR e.input_tokens IS NOT NULL OR e.output_tokens IS NOT NULL) GROUP BY 1
    )
    SELECT days.date::text AS date, coalesce(started.n, 0) AS sessions, coalesce(ended.n, 0) AS ended, ended.avg_ms, spent.cost, spent.estimated, started.waited
    FROM days LEFT JOIN started USING (date) LEFT JOIN ended USING (date) LEFT JOIN spent USING (date)
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
      waiting_ms: r.waited ?? 0,
    })),
  };
}

export type CostByProject = CostByProjectJson;

/** Cost per project per calendar day (in `tz`) by event time, for the last `days` days: reported and estimated apart. */
export async function getCostByProject(
  prisma: PrismaClient,
  { days, tz, nowMs }: { days: number; tz: string; nowMs: number },
): Promise<CostByProject> {
  const now = new Date(nowMs);
  const rows = await prisma.$queryRaw<
    Array<{ date: string; project: string | null; cost: number | null; estimated: number | null }>
  >`
    SELECT (e.time AT TIME ZONE ${tz})::date::text AS date, s.project, sum(e.cost_micros)::float8 AS cost, sum(e.estimated_cost_micros)::float8 AS estimated
    FROM events e JOIN sessions s ON s.id = e.session_id
    WHERE (e.cost_micros IS NOT NULL OR e.input_tokens IS NOT NULL OR e.output_tokens IS NOT NULL)
      AND e.time >= (((${now}::timestamptz AT TIME ZONE ${tz})::date - (${days}::int - 1))::timestamp AT TIME ZONE ${tz})
    GROUP BY 1, 2
    HAVING sum(e.cost_micros) IS NOT NULL OR sum(e.estimated_cost_micros) IS NOT NULL
    ORDER BY 1, 2`;
  return {
    tz,
    days: rows.map((r) => ({
      date: r.date,
      project: r.project,
      cost_usd: (r.cost ?? 0) / 1_000_000,
      estimated_cost_usd: (r.estimated ?? 0) / 1_000_000,
    })),
  };
}
