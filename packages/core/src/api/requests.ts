/**
 * What each ingest route accepts, besides the event and hook bodies (normalize.ts, hook-input.ts):
 * the controllers parse with these (a 400 names the field at fault) and the OpenAPI document is
 * generated from them, so the two cannot disagree.
 */
import { z } from "zod";
import { parseEventTime } from "../time";
import { parseStatusList, STATUS_FILTER_HELP } from "./status-filter";

export const MAX_PAGE_SIZE = 500;
/** Most sessions one clean-up call ends; a user with more runs it again. */
export const MAX_CLEANUP = 10_000;
const MAX_CLEANUP_MINUTES = 100 * 366 * 24 * 60;
export const MAX_EVENTS_PER_REQUEST = 1000;

/** `GET /v1/sessions` */
export const sessionListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const parsed = parseStatusList(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.statuses;
    })
    .meta({ description: STATUS_FILTER_HELP, example: "active,waiting" }),
  project: z.string().max(200).optional().meta({ description: "Only this project (exact)" }),
  source: z.string().max(64).optional().meta({ description: "Only this agent (exact)" }),
  q: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "Free text in title, project, cwd, host or id (case-insensitive)" }),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
    .default(50),
  cursor: z.string().max(1000).optional().meta({ description: "The previous page's next_cursor" }),
});

/** `GET /v1/stream`: the same filters as the list (a change is sent when the session as it is now matches). */
export const streamQuery = sessionListQuery.pick({ status: true, project: true, source: true }).extend({
  last_event_id: z
    .string()
    .regex(/^\d{1,20}-\d{1,20}$/, { error: "must be an event id this stream sent (e.g. 1764657600000-0)" })
    .optional()
    .meta({ description: "Resume after this event id, for clients that cannot send the Last-Event-ID header" }),
});

/** `POST /v1/sessions/cleanup` */
export const cleanupBody = z.object({
  // At most a century: the cutoff is a time (now minus this), and past the range of times it is none.
  older_than_minutes: z
    .number({ error: (i) => (i.input === undefined ? "is required" : "must be a number of minutes") })
    .positive({ error: "must be greater than 0" })
    .max(MAX_CLEANUP_MINUTES, { error: `must be at most ${MAX_CLEANUP_MINUTES} (100 years)` }),
  dry_run: z.boolean({ error: "must be true or false" }).default(false),
  /** Only these sessions (those a dry run listed and the user confirmed), if still silent that long. */
  ids: z
    .array(z.string().min(1).max(200), { error: "must be an array of session ids" })
    .max(MAX_CLEANUP, { error: `must list at most ${MAX_CLEANUP} ids` })
    .optional(),
});

/** `GET /v1/stats` */
export const statsQuery = z.object({
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
    })
    .meta({
      description: "ISO-8601 with zone, or epoch ms: also answer the window figures since then",
      example: "2026-11-21T00:00:00+01:00",
    }),
});

/** `GET /v1/stats/timeline` */
export const timelineQuery = z.object({
  hours: z.coerce
    .number({ error: "must be a number" })
    .positive({ error: "must be greater than 0" })
    .max(24 * 31, { error: "must be at most 744 (31 days)" })
    .default(24),
  buckets: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(2, { error: "must be at least 2" })
    .max(1000, { error: "must be at most 1000" })
    .default(96),
});

/**
 * The zone's canonical IANA name, or null when Node does not know it. Node accepts aliases and
 * spellings Postgres does not (`US/Pacific-New`, any case); the canonical name is one both know.
 */
export const canonicalTimeZone = (tz: string): string | null => {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};
export const TZ_ERROR = "must be an IANA time zone such as Europe/Paris or UTC";

const calendarQuery = (defaultDays: number) =>
  z.object({
    days: z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(366, { error: "must be at most 366" })
      .default(defaultDays),
    tz: z
      .string()
      .max(64)
      .default("UTC")
      .refine((tz) => canonicalTimeZone(tz) !== null, { error: TZ_ERROR }),
  });
/** `GET /v1/stats/daily` */
export const dailyQuery = calendarQuery(7);
/** `GET /v1/stats/cost-by-project` */
export const costByProjectQuery = calendarQuery(14);

/** `/v1/sessions/:id` and what follows it. */
export const sessionIdParams = z.object({ id: z.string().meta({ description: "A session id" }) });
/** `/v1/hooks/:agent` */
export const agentParams = z.object({ agent: z.string().meta({ description: "claude-code, codex or gemini" }) });

/** What a client may send (before defaults and transforms): the typed client's parameters. */
export type SessionListParams = z.input<typeof sessionListQuery>;
export type CleanupParams = z.input<typeof cleanupBody>;
export type StatsParams = z.input<typeof statsQuery>;
export type TimelineParams = z.input<typeof timelineQuery>;
export type CalendarParams = z.input<typeof dailyQuery>;
