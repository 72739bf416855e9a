/**
 * What each ingest route answers (docs/api.md): the types ingest returns, the dashboard and the CLI
 * read (z.infer, type-only for them), and the OpenAPI document's schemas (`meta.id` names them).
 */
import { z } from "zod";
import { END_REASONS, type EndReason, SESSION_STATUSES, type SessionStatus } from "../lifecycle";

const time = z.string().meta({ format: "date-time" });
const count = z.number().int().nonnegative();
const usd = z.number();

export const sessionSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    project: z.string().nullable(),
    cwd: z.string().nullable(),
    host: z.string().nullable(),
    title: z.string().nullable(),
    status: z.enum(SESSION_STATUSES as readonly [SessionStatus, ...SessionStatus[]]),
    waiting_reason: z.string().nullable(),
    end_reason: z.enum(END_REASONS as readonly [EndReason, ...EndReason[]]).nullable(),
    end_detail: z.string().nullable(),
    started_at: time.nullable(),
    last_event_at: time.nullable(),
    alive_at: time
      .nullable()
      .meta({ description: "Newest proof that the agent's process lives (the watcher's); null without a watcher" }),
    waiting_since: time.nullable().meta({
      description: "Start of the current wait (a wait that goes on with the same reason keeps it); null unless waiting",
    }),
    waiting_detail: z.string().nullable().meta({
      description:
        "What the wait is for: the tool and its command or file (permission), the question, the error; null unless waiting",
    }),
    waited_ms: count.meta({
      description: "Time spent in finished waits that needed the user (permission, question, error, attention)",
    }),
    ended_at: time.nullable(),
    duration_ms: z.number().nullable(),
    event_count: count,
    reopen_count: count,
    parent_session_id: z.string().nullable(),
    input_tokens: z.number(),
    output_tokens: z.number(),
    cache_read_tokens: z.number(),
    cache_creation_tokens: z.number(),
    cost_usd: usd.meta({ description: "The cost the agent reported (Claude Code); 0 when it reported none" }),
    estimated_cost_usd: usd.meta({
      description:
        "Pulse's estimate for events with tokens and a model but no reported cost; never included in cost_usd",
    }),
    model: z.string().nullable(),
    api_errors: count,
    tool_calls: count,
    span_count: count,
  })
  .meta({ id: "Session" });

/** An event as listed on a session (newest first). */
export const sessionEventSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: z.string().nullable(),
    time,
    tool: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: "SessionEvent" });

export const sessionPageSchema = z
  .object({ items: z.array(sessionSchema), next_cursor: z.string().nullable() })
  .meta({ id: "SessionPage" });

export const sessionWithEventsSchema = sessionSchema
  .extend({ events: z.array(sessionEventSchema).meta({ description: "The newest 200, newest first" }) })
  .meta({ id: "SessionWithEvents" });

/** What the dashboard's /api/stream sends for each entry of the session-change stream (`<prefix>:session-changes`). */
export const sessionMessageSchema = z
  .object({ type: z.literal("session"), session: sessionSchema })
  .meta({ id: "SessionMessage" });

export const statsSchema = z
  .object({
    active: count,
    waiting: count,
    ended: count,
    total: count,
    stale_24h: count.meta({
      description: "Sessions ended stale (by silence) whose end (their last activity) falls in the last 24 h",
    }),
    avg_duration_ms_24h: z
      .number()
      .nullable()
      .meta({ description: "Mean duration of sessions that ended in the last 24 h; null when none did" }),
    cost_usd_24h: usd.meta({ description: "Cost the agents reported, by event time" }),
    estimated_cost_usd_24h: usd.meta({
      description: "Pulse's estimate for events with tokens but no reported cost (never included in cost_usd_24h)",
    }),
    input_tokens_24h: z.number(),
    output_tokens_24h: z.number(),
    cache_read_tokens_24h: z.number(),
    cache_creation_tokens_24h: z.number(),
    since: z
      .object({
        from: time,
        ended: count,
        stale: count,
        avg_duration_ms: z.number().nullable(),
        cost_usd: usd,
        estimated_cost_usd: usd,
      })
      .optional()
      .meta({ description: "With ?since=: the same window figures since that moment" }),
  })
  .meta({ id: "Stats" });

/** `GET /v1/stats`: the session figures plus the dead letters of the events queue. */
export const statsReplySchema = statsSchema
  .extend({
    failed_jobs: count.meta({
      description: "Jobs of the events queue that failed for good (dead letters: GET /v1/queues lists them)",
    }),
  })
  .meta({ id: "StatsReply" });

export const timelineSchema = z
  .object({
    from: time,
    to: time,
    step_ms: z.number(),
    points: z.array(z.object({ t: time, working: count, waiting: count })),
  })
  .meta({ id: "Timeline" });

export const dailyStatsSchema = z
  .object({
    tz: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        sessions: count,
        ended: count,
        avg_duration_ms: z.number().nullable(),
        cost_usd: usd,
        estimated_cost_usd: usd,
        waiting_ms: count.meta({
          description: "Time the sessions started that day spent in finished waits on the user (their waited_ms)",
        }),
      }),
    ),
  })
  .meta({ id: "DailyStats" });

export const costByProjectSchema = z
  .object({
    tz: z.string(),
    days: z
      .array(z.object({ date: z.string(), project: z.string().nullable(), cost_usd: usd, estimated_cost_usd: usd }))
      .meta({ description: "Reported cost and Pulse's estimate, side by side (never summed)" }),
  })
  .meta({ id: "CostByProject" });

const facet = z.object({ name: z.string(), sessions: count });
export const facetsSchema = z.object({ projects: z.array(facet), sources: z.array(facet) }).meta({ id: "Facets" });

export const cleanupSchema = z
  .object({ dry_run: z.boolean(), older_than_minutes: z.number(), count, sessions: z.array(sessionSchema) })
  .meta({ id: "CleanupResult" });

export const queuesSchema = z
  .object({
    failed_total: count,
    queues: z.array(
      z.object({
        name: z.string(),
        counts: z.record(z.string(), z.number()),
        failed: z.array(
          z.object({
            id: z.string().nullable(),
            name: z.string(),
            failed_reason: z.string().nullable(),
            attempts_made: z.number(),
            failed_at: time.nullable(),
          }),
        ),
      }),
    ),
    retry: z.string(),
  })
  .meta({ id: "Queues" });

export const eventsAcceptedSchema = z.object({ accepted: count }).meta({ id: "EventsAccepted" });
export const hookAcceptedSchema = z
  .union([
    z.object({ accepted: z.literal(1), event_id: z.string() }),
    z.object({ accepted: z.literal(0), ignored: z.string() }),
  ])
  .meta({ id: "HookAccepted" });
export const livenessAcceptedSchema = z
  .object({ accepted: z.literal(1), interval_ms: z.number() })
  .meta({ id: "LivenessAccepted" });

/** OTLP/HTTP's export answer (JSON; the protobuf one carries the same fields). */
export const otlpExportSchema = z
  .object({
    partialSuccess: z.object({
      rejectedLogRecords: z.number().optional(),
      rejectedSpans: z.number().optional(),
      rejectedDataPoints: z.number().optional(),
      errorMessage: z.string().optional(),
    }),
  })
  .meta({ id: "OtlpExportResponse" });

export const healthSchema = z.object({ status: z.literal("ok") }).meta({ id: "Health" });
export const readySchema = z
  .object({ status: z.literal("ok"), redis: z.string(), postgres: z.string() })
  .meta({ id: "Ready" });

/** Every error: `{error, message}` (docs/api.md's table of codes). */
export const apiErrorSchema = z.object({ error: z.string(), message: z.string() }).meta({ id: "ApiError" });
export const notReadySchema = apiErrorSchema
  .extend({ redis: z.string(), postgres: z.string() })
  .meta({ id: "NotReady" });

export type SessionJson = z.infer<typeof sessionSchema>;
export type SessionEventJson = z.infer<typeof sessionEventSchema>;
export type SessionPageJson = z.infer<typeof sessionPageSchema>;
export type SessionWithEventsJson = z.infer<typeof sessionWithEventsSchema>;
export type SessionMessageJson = z.infer<typeof sessionMessageSchema>;
export type StatsJson = z.infer<typeof statsSchema>;
export type StatsReplyJson = z.infer<typeof statsReplySchema>;
export type TimelineJson = z.infer<typeof timelineSchema>;
export type DailyStatsJson = z.infer<typeof dailyStatsSchema>;
export type CostByProjectJson = z.infer<typeof costByProjectSchema>;
export type FacetsJson = z.infer<typeof facetsSchema>;
export type CleanupJson = z.infer<typeof cleanupSchema>;
export type QueuesJson = z.infer<typeof queuesSchema>;
export type EventsAcceptedJson = z.infer<typeof eventsAcceptedSchema>;
export type HookAcceptedJson = z.infer<typeof hookAcceptedSchema>;
export type LivenessAcceptedJson = z.infer<typeof livenessAcceptedSchema>;
export type ApiErrorJson = z.infer<typeof apiErrorSchema>;
