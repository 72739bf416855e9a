import { Controller, Get, Inject, Query } from "@nestjs/common";
import type { Timeline } from "@pulse/core";
import {
  canonicalTimeZone,
  type CostByProjectJson,
  costByProjectQuery,
  dailyQuery,
  type DailyStatsJson,
  statsQuery,
  type StatsReplyJson,
  timelineQuery,
  type TimelineJson,
  TZ_ERROR,
} from "@pulse/core/api";
import { getCostByProject, getDailyStats, getStats, getTimeline } from "@pulse/sessions";
import { badRequest } from "../http/api-error";
import { parseOr400 } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";
import { ConcurrencyGate } from "../http/concurrency-gate";
import { RecentResults } from "./recent-results";

const HOUR_MS = 3600_000;

/** Runs a calendar query in the zone's canonical name, answering with the zone as asked. */
async function inZone<T extends { tz: string }>(tz: string, run: (canonical: string) => Promise<T>): Promise<T> {
  try {
    return { ...(await run(canonicalTimeZone(tz) ?? tz)), tz };
  } catch (error) {
    // A zone Node knows and this Postgres's time zone data does not (older tzdata): the caller's to fix.
    if (/time zone .* not recognized/i.test(String((error as Error).message)))
      throw badRequest(`tz: ${TZ_ERROR} (this database does not know "${tz.slice(0, 64)}")`);
    throw error;
  }
}
/** How long a computed timeline is served again (the dashboard polls it; every tab would recompute). */
export const TIMELINE_REUSE_MS = 15_000;
/**
 * Timelines computed at once, and waiting: any new `hours` is a new computation (the cache cannot
 * help), so what bounds their cost together is how many run. Requests for the same window share one.
 */
const TIMELINE_CONCURRENCY = 1;
const TIMELINE_QUEUE = 8;

@Controller("v1/stats")
export class StatsController {
  private readonly timelines: RecentResults<Timeline>;
  private readonly timelineGate = new ConcurrencyGate(TIMELINE_CONCURRENCY, TIMELINE_QUEUE, "timeline");

  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {
    this.timelines = new RecentResults<Timeline>(TIMELINE_REUSE_MS, deps.now);
  }

  @Get()
  async stats(@Query() query: Record<string, unknown>): Promise<StatsReplyJson> {
    const { since } = parseOr400(statsQuery, query);
    const [stats, failed] = await Promise.all([
      getStats(this.deps.prisma, this.deps.now(), since),
      this.deps.eventsQueue.getFailedCount(),
    ]);
    // The events' dead letters (GET /v1/queues lists them): accepted events that were never applied.
    return { ...stats, failed_jobs: failed };
  }

  @Get("timeline")
  timeline(@Query() query: Record<string, unknown>): Promise<TimelineJson> {
    const q = parseOr400(timelineQuery, query);
    return this.timelines.get(`${q.hours}:${q.buckets}`, () =>
      this.timelineGate.run(() => {
        const toMs = this.deps.now();
        return getTimeline(this.deps.prisma, {
          fromMs: toMs - q.hours * HOUR_MS,
          toMs,
          buckets: q.buckets,
          staleTimeoutMs: this.deps.config.SESSION_STALE_TIMEOUT_MINUTES * 60_000,
        });
      }),
    );
  }

  @Get("daily")
  daily(@Query() query: Record<string, unknown>): Promise<DailyStatsJson> {
    const q = parseOr400(dailyQuery, query);
    return inZone(q.tz, (tz) => getDailyStats(this.deps.prisma, { days: q.days, tz, nowMs: this.deps.now() }));
  }

  @Get("cost-by-project")
  costByProject(@Query() query: Record<string, unknown>): Promise<CostByProjectJson> {
    const q = parseOr400(costByProjectQuery, query);
    return inZone(q.tz, (tz) => getCostByProject(this.deps.prisma, { days: q.days, tz, nowMs: this.deps.now() }));
  }
}
