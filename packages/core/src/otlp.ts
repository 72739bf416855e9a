/**
 * OpenTelemetry (OTLP) logs and spans from Claude Code and Codex, mapped onto events. Works on the
 * OTLP object shape (JSON encoding, or protobuf decoded to the same shape with longs as strings), so
 * both encodings share one mapping.
 */
import { mappedEvent } from "./mapped-event";
import { type AgentAdapter, agentByServiceName } from "./agents";
import { NO_USAGE, SESSION_ID_MAX } from "./event";
import type { MappedEvent } from "./normalize";
import { optionalLine } from "./text";

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** An OTLP AnyValue as a plain value (ints that fit a double as numbers, others as strings). */
export function anyValue(value: OtlpAnyValue | undefined): unknown {
  if (!value || typeof value !== "object") return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.boolValue !== undefined) return Boolean(value.boolValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return null;
}

export function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  // Defined, not assigned: a key named "__proto__" (an exporter's or a fuzzer's) is then one more
  // attribute, instead of replacing the object's prototype and with it what every other key reads.
  for (const kv of list)
    if (kv && typeof kv.key === "string")
      Object.defineProperty(out, kv.key, {
        value: anyValue(kv.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return out;
}

/** Unix nanoseconds (string or number; 0 means unset) as epoch milliseconds, or null. */
export function nanosToMs(value: unknown): number | null {
  if (value === undefined || value === null || value === "" || value === 0 || value === "0") return null;
  try {
    const ms = Number(BigInt(typeof value === "number" ? Math.trunc(value) : String(value)) / 1_000_000n);
    return ms > 0 ? ms : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null;
};
/**
 * Largest count (tokens, characters) an event stores: Postgres' integer column. A bigger one is no
 * real count, and storing it would fail its whole batch: it is dropped, like a count that is no number.
 */
const MAX_COUNT = 2_147_483_647;
/** Largest cost one request may report (USD); a bigger one is no real cost (and overflows the micros column). */
const MAX_COST_USD = 1_000_000_000;
const int = (v: unknown): number | null => {
  const n = num(v);
  return n === null || n > MAX_COUNT ? null : Math.round(n);
};
const cost = (v: unknown): number | null => {
  const n = num(v);
  return n === null || n > MAX_COST_USD ? null : n;
};

/** The Pulse source an exporter's `service.name` stands for: a known agent's id, else the name itself. */
export function sourceFromServiceName(serviceName: string | null): string {
  if (!serviceName) return "otel";
  return agentByServiceName(serviceName)?.id ?? serviceName.slice(0, 64);
}

/** Session attributes of exporters Pulse has no adapter for: the known agents' names. */
const ANY_SESSION_ATTRIBUTES = ["session.id", "conversation.id"];

/** The session a record belongs to: its agent's session attribute (Claude Code, Gemini `session.id`; Codex `conversation.id`). */
function sessionIdOf(
  attributes: Record<string, unknown>,
  resource: Record<string, unknown>,
  agent: AgentAdapter | null,
): string | null {
  const names = agent ? [...agent.otel.sessionAttributes, ...ANY_SESSION_ATTRIBUTES] : ANY_SESSION_ATTRIBUTES;
  let id: string | null = null;
  for (const name of names) id ??= str(attributes[name]);
  for (const name of names) id ??= str(resource[name]);
  return id && id.length <= SESSION_ID_MAX ? id.trim() : null;
}

/** Names of explicit end signals: `session.end`, `claude_code.session_end`, … Nothing else ends a session. */
const EXPLICIT_END = /(^|[._])session[._]end(ed)?$/i;

export interface OtlpEvent {
  sessionId: string;
  source: string;
  host: string | null;
  project: string | null;
  /** When it happened (epoch ms), or null to use the time of receipt. */
  timeMs: number | null;
  mapped: MappedEvent;
  /** A stable description of the record: the same record sent twice (or once as JSON, once as protobuf) has the same one. */
  identity: string;
  raw: unknown;
}

export interface OtlpMapping {
  events: OtlpEvent[];
  /** Records that could not be taken (no session id), with the first reason. */
  rejected: number;
  rejectionReason: string | null;
}

interface ResourceContext {
  resource: Record<string, unknown>;
  agent: AgentAdapter | null;
  source: string;
  host: string | null;
  project: string | null;
}

function resourceContext(resource: { attributes?: OtlpKeyValue[] } | undefined): ResourceContext {
  const attributes = attributesOf(resource?.attributes);
  const serviceName = str(attributes["service.name"]);
  return {
    resource: attributes,
    agent: serviceName ? agentByServiceName(serviceName) : null,
    source: sourceFromServiceName(serviceName),
    host: str(attributes["host.name"]),
    project: str(attributes["service.namespace"]),
  };
}

const stableAttributes = (attributes: Record<string, unknown>) =>
  Object.keys(attributes)
    .sort()
    .map((k) => [k, attributes[k]]);

/** A log record's event onto an event kind (by the name's last part: user_prompt, api_request, …). */
export function mapLogEvent(name: string, a: Record<string, unknown>): MappedEvent {
  if (EXPLICIT_END.test(name)) {
    const reason = optionalLine(a.reason, 500);
    return { ...mappedEvent("end", name), end_reason: "session_end", end_detail: reason, detail: reason };
  }
  const suffix = name.split(".").pop() ?? name;
  switch (suffix) {
    case "user_prompt": {
      const prompt = optionalLine(a.prompt, 2000);
      const length = int(a.prompt_length);
      return {
        ...mappedEvent("prompt", name),
        detail: prompt ?? (length !== null ? `prompt of ${length} characters` : null),
      };
    }
    case "tool_result":
    case "tool_decision": {
      const tool = optionalLine(a.tool_name, 200);
      const outcome = optionalLine(
        suffix === "tool_result" ? (a.success === undefined ? null : `success: ${a.success}`) : a.decision,
        100,
      );
      return {
        ...mappedEvent("tool", name),
        tool,
        detail: [tool, outcome].filter(Boolean).join(" · ") || null,
        usage: suffix === "tool_result" ? { ...NO_USAGE, tool_call: "otel" } : null,
      };
    }
    case "api_response":
      // Gemini CLI: tokens come with the response (its api_request record carries none).
      return {
        ...mappedEvent("activity", name),
        detail: optionalLine(a.model, 200),
        usage: {
          ...NO_USAGE,
          input_tokens: int(a.input_token_count),
          output_tokens: int(a.output_token_count),
          cache_read_tokens: int(a.cached_content_token_count),
          model: optionalLine(a.model, 200),
        },
      };
    case "api_request":
      return {
        ...mappedEvent("activity", name),
        detail: optionalLine(a.model, 200),
        usage: {
          ...NO_USAGE,
          cost_usd: cost(a.cost_usd),
          input_tokens: int(a.input_tokens ?? a.input_token_count),
          output_tokens: int(a.output_tokens ?? a.output_token_count),
          cache_read_tokens: int(a.cache_read_tokens ?? a.cached_token_count),
          cache_creation_tokens: int(a.cache_creation_tokens),
          model: optionalLine(a.model, 200),
        },
      };
    case "api_error": {
      const error = [optionalLine(a.error, 400), a.status_code !== undefined ? `status ${a.status_code}` : null]
        .filter(Boolean)
        .join(" · ");
      return {
        ...mappedEvent("activity", name),
        detail: error || null,
        usage: { ...NO_USAGE, api_error: true, model: optionalLine(a.model, 200) },
      };
    }
    case "sse_event":
      // Codex reports token counts on the response.completed stream event.
      if (a["event.kind"] === "response.completed") {
        return {
          ...mappedEvent("activity", name),
          detail: "response.completed",
          usage: {
            ...NO_USAGE,
            input_tokens: int(a.input_token_count),
            output_tokens: int(a.output_token_count),
            cache_read_tokens: int(a.cached_token_count),
            model: optionalLine(a.model, 200),
          },
        };
      }
      return { ...mappedEvent("activity", name), detail: optionalLine(a["event.kind"], 200) };
    case "conversation_starts":
      return {
        ...mappedEvent("start", name),
        usage: str(a.model) ? { ...NO_USAGE, model: optionalLine(a.model, 200) } : null,
      };
    default:
      return mappedEvent("activity", name);
  }
}

/**
 * Lifecycle rules 1 and 6: a log record is telemetry (or, for an agent's reports on its own hooks,
 * bookkeeping): it counts usage and never moves the status of a session that has a status source.
 * Only an explicit end record is status.
 */
function withSignal(mapped: MappedEvent, name: string, agent: AgentAdapter | null): MappedEvent {
  if (mapped.kind === "end") return mapped;
  return { ...mapped, signal: agent ? agent.otel.recordSignal(name) : "telemetry" };
}

/** One record's event, once its session is known: what the signal-specific mappings decide. */
type RecordEvent = Pick<OtlpEvent, "timeMs" | "mapped" | "identity" | "raw">;

interface ExportShape {
  /** `resourceLogs` / `resourceSpans`, then `scopeLogs` / `scopeSpans`, then `logRecords` / `spans`. */
  resources: string;
  scopes: string;
  items: string;
  /** For messages: "OTLP logs export", "log record". */
  exportName: string;
  itemName: string;
}

/**
 * Walks an export's resources, scopes and records, rejecting (and counting) records that name no
 * session. Throws on a body that is not such an export (the caller answers 400).
 */
function collect<T extends { attributes?: OtlpKeyValue[] }>(
  request: unknown,
  shape: ExportShape,
  toEvent: (item: T, attributes: Record<string, unknown>, sessionId: string, ctx: ResourceContext) => RecordEvent,
): OtlpMapping {
  const resources = (request as Record<string, unknown> | null)?.[shape.resources];
  if (typeof request !== "object" || request === null || (resources !== undefined && !Array.isArray(resources))) {
    throw new Error(`not an ${shape.exportName}: expected {${shape.resources}: [...]}`);
  }
  const mapping: OtlpMapping = { events: [], rejected: 0, rejectionReason: null };
  for (const rs of (resources ?? []) as Array<
    Record<string, unknown> & { resource?: { attributes?: OtlpKeyValue[] } }
  >) {
    const ctx = resourceContext(rs?.resource);
    for (const scope of (rs?.[shape.scopes] ?? []) as Array<Record<string, unknown>>) {
      for (const item of (scope?.[shape.items] ?? []) as T[]) {
        const attributes = attributesOf(item?.attributes);
        const sessionId = sessionIdOf(attributes, ctx.resource, ctx.agent);
        if (!sessionId) {
          mapping.rejected++;
          mapping.rejectionReason ??= `${shape.itemName} without session.id or conversation.id`;
          continue;
        }
        mapping.events.push({
          sessionId,
          source: ctx.source,
          host: ctx.host,
          project: ctx.project,
          ...toEvent(item, attributes, sessionId, ctx),
        });
      }
    }
  }
  return mapping;
}

interface OtlpLogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
}

const LOGS: ExportShape = {
  resources: "resourceLogs",
  scopes: "scopeLogs",
  items: "logRecords",
  exportName: "OTLP logs export",
  itemName: "log record",
};

/** Maps an ExportLogsServiceRequest. Throws on a body that is not one (the caller answers 400). */
export function mapOtlpLogs(request: unknown): OtlpMapping {
  return collect<OtlpLogRecord>(request, LOGS, (record, attributes, sessionId, { resource, agent }) => {
    const body = anyValue(record.body);
    const eventName = str(attributes["event.name"]);
    // Claude Code: body "claude_code.user_prompt", event.name "user_prompt"; Codex: both "codex.api_request".
    const name = (typeof body === "string" && /^[\w-]+\.[\w.-]+$/.test(body) ? body : eventName) ?? "log";
    const timestamp = str(attributes["event.timestamp"]);
    return {
      timeMs:
        nanosToMs(record.timeUnixNano) ??
        nanosToMs(record.observedTimeUnixNano) ??
        (timestamp && !Number.isNaN(Date.parse(timestamp)) ? Date.parse(timestamp) : null),
      mapped: withSignal(mapLogEvent(name, attributes), name, agent),
      identity: JSON.stringify([
        "log",
        sessionId,
        name,
        String(record.timeUnixNano ?? ""),
        String(record.observedTimeUnixNano ?? ""),
        stableAttributes(attributes),
      ]),
      raw: { resource, record },
    };
  });
}

interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
}

const SPANS: ExportShape = {
  resources: "resourceSpans",
  scopes: "scopeSpans",
  items: "spans",
  exportName: "OTLP trace export",
  itemName: "span",
};

/**
 * Maps an ExportTraceServiceRequest. Each span is counted on its session; only an explicit end signal
 * (a span named session.end / …session_end) that lasted (end after start) ends it. A zero-length
 * span, or any other, never does.
 */
export function mapOtlpSpans(request: unknown): OtlpMapping {
  return collect<OtlpSpan>(request, SPANS, (span, attributes, sessionId, { resource }) => {
    const name = str(span.name) ?? "span";
    const start = nanosToMs(span.startTimeUnixNano);
    const end = nanosToMs(span.endTimeUnixNano);
    const explicitEnd = EXPLICIT_END.test(name) && start !== null && end !== null && end > start;
    return {
      timeMs: end ?? start,
      mapped: explicitEnd
        ? {
            ...mappedEvent("end", name),
            end_reason: "session_end" as const,
            end_detail: optionalLine(attributes.reason, 500),
          }
        : mappedEvent("span", name),
      identity: JSON.stringify([
        "span",
        sessionId,
        span.traceId ?? "",
        span.spanId ?? "",
        span.traceId && span.spanId ? "" : stableAttributes(attributes),
      ]),
      raw: { resource, span },
    };
  });
}
