import { z } from "zod";
import {
  EVENT_END_REASONS,
  EVENT_KINDS,
  type EventEndReason,
  eventKeySchema,
  NO_USAGE,
  type NormalizedEvent,
  type NormalizedKind,
  type ReportedUsage,
  requiredOr,
  sessionIdSchema,
  type Signal,
} from "./event";
import { capPayload, PAYLOAD_CAP_BYTES } from "./payload";
import { estimateCostUsd } from "./pricing";
import type { LifecycleEvent } from "./lifecycle";
import { optionalLine, projectFromCwd } from "./text";
import { effectiveEventTime, parseEventTime, toIso } from "./time";

/** What a source mapping decides about one agent event; the rest comes from the request. */
export interface MappedEvent {
  kind: NormalizedKind;
  name: string | null;
  detail: string | null;
  tool: string | null;
  waiting_reason: string | null;
  end_reason: EventEndReason | null;
  end_detail: string | null;
  /** What the event reports; Pulse's estimate is added by buildEvent, never by a mapping. */
  usage?: ReportedUsage | null;
  /** A prompt that may title the session when the event is not itself a prompt. */
  title?: string | null;
  /** What kind of evidence the event is (lifecycle rule 1); status when absent. */
  signal?: Signal;
}

/** Facts about the delivery, decided by ingest. */
export interface DeliveryContext {
  /** Idempotency key for the event (header, body id, or one ingest made up). */
  key: string;
  receivedMs: number;
  /** Client-stamped time, already parsed. */
  stampedMs?: number;
  /** Host to record when the event names none. */
  host: string | null;
}

export interface EventOrigin {
  session_id: string;
  source: string;
  cwd?: string | null;
  project?: string | null;
  host?: string | null;
}

/** Builds the queue payload from a mapped event: the single place event times are decided. */
/** U+0000 cannot be stored in Postgres text: replaced (the raw payload is handled when stored). */
const text = (value: string | null | undefined, max: number): string | null =>
  value ? value.replaceAll("\u0000", "\uFFFD").slice(0, max) : null;

export function buildEvent(
  origin: EventOrigin,
  mapped: MappedEvent,
  ctx: DeliveryContext,
  raw: unknown,
  rawBytes?: number,
): NormalizedEvent {
  const cwd = text(origin.cwd, 4096);
  // A payload known to be small (the request body it came as) needs no serialising to be measured.
  const capped =
    rawBytes !== undefined && rawBytes <= PAYLOAD_CAP_BYTES ? { payload: raw, truncated: false } : capPayload(raw);
  const timeMs = effectiveEventTime(ctx.stampedMs, ctx.receivedMs);
  const usage = mapped.usage ? { ...mapped.usage, model: text(mapped.usage.model, 200) } : null;
  return {
    key: ctx.key,
    session_id: origin.session_id,
    source: origin.source,
    kind: mapped.kind,
    signal: mapped.signal ?? "status",
    name: text(mapped.name, 200),
    time: toIso(timeMs),
    received_at: toIso(ctx.receivedMs),
    cwd,
    project: origin.project ? text(origin.project, 200) : projectFromCwd(cwd),
    host: text(origin.host ?? ctx.host, 255),
    detail: text(mapped.detail, 2000),
    tool: text(mapped.tool, 200),
    title: text(mapped.title, 2000),
    waiting_reason: text(mapped.waiting_reason, 64),
    end_reason: mapped.end_reason,
    end_detail: text(mapped.end_detail, 500),
    // Priced at the list price of when it happened (genai-prices knows price changes by date).
    usage: usage ? { ...usage, estimated_cost_usd: estimateCostUsd(origin.source, usage, timeMs) } : null,
    payload: capped.payload,
    payload_truncated: capped.truncated,
  };
}

const timeInput = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = parseEventTime(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.ms;
});

/** One event as POSTed to /v1/events by custom agents, the CLI and benchmarks. Unknown fields are ignored. */
export const eventInputSchema = z.object({
  session_id: sessionIdSchema,
  source: z
    .string({ error: requiredOr("must be a string") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(64),
  kind: z.enum(EVENT_KINDS, { error: requiredOr(`must be one of ${EVENT_KINDS.join(", ")}`) }),
  name: z.string().max(200).nullish(),
  time: timeInput.nullish(),
  id: eventKeySchema.nullish(),
  cwd: z.string().max(4096).nullish(),
  project: z.string().max(200).nullish(),
  host: z.string().max(255).nullish(),
  detail: z.string().nullish(),
  tool: z.string().max(200).nullish(),
  /** What the session is about, when the agent knows better than its first prompt (e.g. `pulse run --title`). */
  title: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
  /** For `attention`: why the agent waits ("permission", "idle", …). */
  waiting_reason: z.string().max(64).nullish(),
  /** For `end`: how it ended. */
  end_reason: z.enum(EVENT_END_REASONS, { error: `must be one of ${EVENT_END_REASONS.join(", ")}` }).nullish(),
  end_detail: z.string().nullish(),
});
export type EventInput = z.infer<typeof eventInputSchema>;

/** `POST /v1/liveness`: the watcher's proof that a session's agent process lives (lifecycle rule 7). */
export const livenessInputSchema = z.object({
  session_id: sessionIdSchema,
  source: z
    .string({ error: requiredOr("must be a string") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(64),
  /** When the process was seen alive; the time of receipt when absent. */
  time: timeInput.nullish(),
});
export type LivenessInput = z.infer<typeof livenessInputSchema>;

export function mapEventInput(input: EventInput): MappedEvent {
  return {
    kind: input.kind,
    name: input.name ?? null,
    detail: optionalLine(input.detail, 2000),
    tool: input.tool ?? null,
    waiting_reason: input.kind === "attention" ? (optionalLine(input.waiting_reason, 64) ?? "attention") : null,
    end_reason: input.kind === "end" ? (input.end_reason ?? "session_end") : null,
    end_detail: input.kind === "end" ? optionalLine(input.end_detail, 500) : null,
    // Each tool event a custom agent sends is one call.
    usage: input.kind === "tool" ? { ...NO_USAGE, tool_call: "hook" } : null,
    title: optionalLine(input.title, 2000),
  };
}

/** Turns a zod error into one line that names the offending field, e.g. `[3].kind: must be one of …`. */
export function describeZodError(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const path = issue.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 && !prefix ? String(p) : `.${String(p)}`))
    .join("");
  const field = prefix + path;
  return field ? `${field}: ${issue.message}` : issue.message;
}

/** The part of a queued event the lifecycle reads. */
export function toLifecycleEvent(event: NormalizedEvent): LifecycleEvent {
  return {
    kind: event.kind,
    time: Date.parse(event.time),
    source: event.source,
    cwd: event.cwd,
    project: event.project,
    host: event.host,
    detail: event.detail,
    tool: event.tool,
    waitingReason: event.waiting_reason,
    endReason: event.end_reason,
    endDetail: event.end_detail,
    usage: event.usage,
    title: event.title,
    signal: event.signal,
  };
}
