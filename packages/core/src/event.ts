import { z } from "zod";

/** What an event means for a session's lifecycle. Every source is mapped onto these. */
export const EVENT_KINDS = ["start", "prompt", "tool", "activity", "turn_end", "attention", "end"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * Kinds an event may have inside Pulse: the public ones, plus `span` (an OpenTelemetry span that is
 * no explicit end: counted per session, never a change of status) and `alive` (proof that the
 * agent's process lives, from the watcher: docs/lifecycle.md rule 7).
 */
export const NORMALIZED_KINDS = [...EVENT_KINDS, "span", "alive"] as const;
export type NormalizedKind = (typeof NORMALIZED_KINDS)[number];

/**
 * What kind of evidence an input is (docs/lifecycle.md rule 1). Only `status` changes a session's
 * status; `liveness` proves the process lives; `telemetry` (OpenTelemetry logs, spans, metrics) and
 * `bookkeeping` (an agent reporting on its own hooks or internals) count usage and nothing else,
 * except on a session that has no status signal at all (OpenTelemetry only).
 */
export const SIGNALS = ["status", "liveness", "telemetry", "bookkeeping"] as const;
export type Signal = (typeof SIGNALS)[number];

/** How an `end` event says the session ended. `closed` and `stale` are Pulse's own and never arrive as events. */
export const EVENT_END_REASONS = ["session_end", "process_exit"] as const;
export type EventEndReason = (typeof EVENT_END_REASONS)[number];

export const SESSION_ID_MAX = 200;

/** A zod error message that says "is required" when the field is missing, else `message`. */
export const requiredOr =
  (message: string) =>
  (issue: { input: unknown }): string =>
    issue.input === undefined ? "is required" : message;

/** Control characters (U+0000 above all) cannot be stored in Postgres text: refused in ids and keys. */
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

export const sessionIdSchema = z
  .string({ error: requiredOr("must be a string") })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(SESSION_ID_MAX, { error: `must be at most ${SESSION_ID_MAX} characters` })
  .regex(NO_CONTROL_CHARS, { error: "must not contain control characters" });

/** An idempotency key: what the client sends as `id` or `Idempotency-Key`. */
export const eventKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(NO_CONTROL_CHARS, { error: "must not contain control characters" });

/**
 * What an event reports about usage: tokens and cost (OpenTelemetry `api_request` records), an API
 * error, a completed tool call (and who saw it: hooks or OpenTelemetry, which may both report the
 * same call). `estimated_cost_usd` is Pulse's own figure, never the agent's: set by `buildEvent`
 * (pricing.ts) when the event has tokens and a model but no reported cost.
 */
export const eventUsageSchema = z.object({
  input_tokens: z.number().int().nonnegative().nullable(),
  output_tokens: z.number().int().nonnegative().nullable(),
  cache_read_tokens: z.number().int().nonnegative().nullable(),
  cache_creation_tokens: z.number().int().nonnegative().nullable(),
  cost_usd: z.number().nonnegative().nullable(),
  /** Jobs queued before estimates existed carry none. */
  estimated_cost_usd: z.number().nonnegative().nullable().default(null),
  model: z.string().max(200).nullable(),
  api_error: z.boolean(),
  tool_call: z.enum(["hook", "otel"]).nullable(),
});
export type EventUsage = z.infer<typeof eventUsageSchema>;
/** What an agent's event itself reports (an adapter's mapping): everything but Pulse's estimate. */
export type ReportedUsage = Omit<EventUsage, "estimated_cost_usd">;

/** Kept in a zod-free module so the agent adapters (loaded by the CLI) can use it. */
export { NO_USAGE } from "./usage";

/**
 * An event after ingest normalised it: what goes through the queue and what the worker applies.
 * Times are ISO-8601 strings (UTC, ms precision) so the payload survives JSON unchanged.
 */
export const normalizedEventSchema = z.object({
  /** Idempotency key: unique per session. */
  key: eventKeySchema,
  session_id: sessionIdSchema,
  source: z.string().min(1).max(64),
  kind: z.enum(NORMALIZED_KINDS),
  /** Jobs queued before signals existed carry none: they were all status. */
  signal: z.enum(SIGNALS).default("status"),
  name: z.string().max(200).nullable(),
  /** When it happened: client-stamped, or the time ingest received it. */
  time: z.iso.datetime(),
  received_at: z.iso.datetime(),
  cwd: z.string().max(4096).nullable(),
  project: z.string().max(200).nullable(),
  host: z.string().max(255).nullable(),
  /** One human-readable line: the prompt, the tool's command, the notification text… */
  detail: z.string().max(2000).nullable(),
  tool: z.string().max(200).nullable(),
  /** A prompt the event carries that can title the session (Codex's notify has no prompt event). */
  title: z.string().max(2000).nullable().default(null),
  waiting_reason: z.string().max(64).nullable(),
  end_reason: z.enum(EVENT_END_REASONS).nullable(),
  end_detail: z.string().max(500).nullable(),
  usage: eventUsageSchema.nullable(),
  /** The raw payload as received, capped (see capPayload). */
  payload: z.unknown(),
  payload_truncated: z.boolean(),
});
export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;
