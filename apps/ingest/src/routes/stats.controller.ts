import { Controller, Get, Inject, Query } from "@nestjs/common";
import { parseEventTime, type Timeline } from "@pulse/core";
import { getCostByProject, getDailyStats, getStats, getTimeline } from "@pulse/sessions";
import { z } from "zod";
import { badRequest } from "../http/api-error";
import { parseOr400 } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";
import { ConcurrencyGate } from "../http/concurrency-gate";
import { RecentResults } from "./recent-results";

const HOUR_MS = 3600_000;

const sinceQuery = z.object({
  since: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return undefined;
      const parsed = parseEventTime(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.ms;
    }),
});

const timelineQuery = z.object({
  hours: z.coerce.number({ error: "must be a number" }).positive({ error: "must be greater than 0" }).max(24 * 31, { error: "must be at most 744 (31 days)" }).default(24),
  buckets: z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(2, { error: "must be at least 2" }).max(1000, { error: "must be at most 1000" }).default(96),
});

/**
 * The zone's canonical IANA name, or null when Node does not know it. Node accepts aliases and
 * spellings Postgres does not (`US/Pacific-New`, any case); the canonical name is one both know.
 */
const canonicalTimeZone = (tz: string): string | null => {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};
const TZ_ERROR = "must be an IANA time zone such as Europe/Paris or UTC";

const calendarQuery = (defaultDays: number) =>
  z.object({
    days: z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1, { error: "must be at least 1" }).max(366, { error: "must be at most 366" }).default(defaultDays),
    tz: z.string().max(64).default("UTC").refine((tz) => canonicalTimeZone(tz) !== null, { error: TZ_ERROR }),
  });

/** Runs a calendar query in the zone's canonical name, answering with the zone as asked. */
async function inZone<T extends { tz: string }>(tz: string, run: (canonical: string) => Promise<T>): Promise<T> {
  try {
    return { ...(await run(canonicalTimeZone(tz) ?? tz)), tz };
  } catch (error) {
    // A zone Node knows and this Postgres's time zone data does not (older tzdata): the caller's to fix.
    if (/time zone .* not recognized/i.test(String((error as Error).message))) throw badRequest(`tz: ${TZ_ERROR} (this database does not know "${tz.slice(0, 64)}")`);
    throw error;
  }
}
const dailyQuery = calendarQuery(7);
const costQuery = calendarQuery(14);

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
  stats(@Query() query: Record<string, unknown>) {
    const { since } = parseOr400(sinceQuery, query);
    return getStats(this.deps.prisma, this.deps.now(), since);
  }

  @Get("timeline")
  timeline(@Query() query: Record<string, unknown>) {
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
  daily(@Query() query: Record<string, unknown>) {
    const q = parseOr400(dailyQuery, query);
    return inZone(q.tz, (tz) => getDailyStats(this.deps.prisma, { days: q.days, tz, nowMs: this.deps.now() }));
  }

  @Get("cost-by-project")
  costByProject(@Query() query: Record<string, unknown>) {
    const q = parseOr400(costQuery, query);
    return inZone(q.tz, (tz) => getCostByProject(this.deps.prisma, { days: q.days, tz, nowMs: this.deps.now() }));
  }
}
