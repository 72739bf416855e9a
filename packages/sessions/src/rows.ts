import type { EndReason, SessionState, SessionStatus } from "@pulse/core";
import { Prisma, type PrismaClient, type SessionRow } from "@pulse/db";

/** A client or an interactive transaction: the functions here work inside either. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The session columns the lifecycle reads, aliased to the Prisma model's field names. */
export const SESSION_COLUMNS = Prisma.sql`id, source, project, cwd, host, title, title_at AS "titleAt", status,
  waiting_reason AS "waitingReason", end_reason AS "endReason", end_detail AS "endDetail",
  started_at AS "startedAt", last_event_at AS "lastEventAt", status_at AS "statusAt", ended_at AS "endedAt",
  event_count AS "eventCount", reopen_count AS "reopenCount", start_reason AS "startReason",
  parent_session_id AS "parentSessionId", input_tokens AS "inputTokens", output_tokens AS "outputTokens",
  cache_read_tokens AS "cacheReadTokens", cache_creation_tokens AS "cacheCreationTokens",
  cost_micros AS "costMicros", model, model_at AS "modelAt", api_errors AS "apiErrors",
  tool_calls_hooks AS "toolCallsHooks", tool_calls_otel AS "toolCallsOtel", span_count AS "spanCount"`;

export type SessionStateRow = Pick<
  SessionRow,
  | "id"
  | "source"
  | "project"
  | "cwd"
  | "host"
  | "title"
  | "titleAt"
  | "status"
  | "waitingReason"
  | "endReason"
  | "endDetail"
  | "startedAt"
  | "lastEventAt"
  | "statusAt"
  | "endedAt"
  | "eventCount"
  | "reopenCount"
  | "startReason"
  | "parentSessionId"
  | "inputTokens"
  | "outputTokens"
  | "cacheReadTokens"
  | "cacheCreationTokens"
  | "costMicros"
  | "model"
  | "modelAt"
  | "apiErrors"
  | "toolCallsHooks"
  | "toolCallsOtel"
  | "spanCount"
>;

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function fromRow(row: SessionStateRow): SessionState {
  return {
    id: row.id,
    source: row.source,
    project: row.project,
    cwd: row.cwd,
    host: row.host,
    title: row.title,
    titleAt: ms(row.titleAt),
    status: row.status as SessionStatus,
    waitingReason: row.waitingReason,
    endReason: row.endReason as EndReason | null,
    endDetail: row.endDetail,
    startedAt: ms(row.startedAt),
    lastEventAt: ms(row.lastEventAt),
    statusAt: ms(row.statusAt),
    endedAt: ms(row.endedAt),
    eventCount: row.eventCount,
    reopenCount: row.reopenCount,
    startReason: row.startReason,
    parentSessionId: row.parentSessionId,
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    cacheReadTokens: Number(row.cacheReadTokens),
    cacheCreationTokens: Number(row.cacheCreationTokens),
    costMicros: Number(row.costMicros),
    model: row.model,
    modelAt: ms(row.modelAt),
    apiErrors: row.apiErrors,
    toolCallsHooks: row.toolCallsHooks,
    toolCallsOtel: row.toolCallsOtel,
    spanCount: row.spanCount,
  };
}

/**
 * Writes sessions back in one statement (all lifecycle and usage fields; `parent_session_id` is
 * written only by the /clear linking in apply-events), whatever their number: one round trip per batch, not per
 * session. Rows are matched by id; callers hold the rows' locks.
 */
export async function writeSessions(db: Db, sessions: SessionState[]): Promise<void> {
  if (sessions.length === 0) return;
  const records = sessions.map((s) => ({
    id: s.id,
    source: s.source,
    project: s.project,
    cwd: s.cwd,
    host: s.host,
    title: s.title,
    title_at: iso(s.titleAt),
    status: s.status,
    waiting_reason: s.waitingReason,
    end_reason: s.endReason,
    end_detail: s.endDetail,
    started_at: iso(s.startedAt),
    last_event_at: iso(s.lastEventAt),
    status_at: iso(s.statusAt),
    ended_at: iso(s.endedAt),
    event_count: s.eventCount,
    reopen_count: s.reopenCount,
    start_reason: s.startReason,
    input_tokens: s.inputTokens,
    output_tokens: s.outputTokens,
    cache_read_tokens: s.cacheReadTokens,
    cache_creation_tokens: s.cacheCreationTokens,
    cost_micros: s.costMicros,
    model: s.model,
    model_at: iso(s.modelAt),
    api_errors: s.apiErrors,
    tool_calls_hooks: s.toolCallsHooks,
    tool_calls_otel: s.toolCallsOtel,
    span_count: s.spanCount,
  }));
  await db.$executeRaw`
    UPDATE sessions AS s SET
      source = u.source, project = u.project, cwd = u.cwd, host = u.host, title = u.title,
      title_at = u.title_at, status = u.status, waiting_reason = u.waiting_reason,
      end_reason = u.end_reason, end_detail = u.end_detail, started_at = u.started_at,
      last_event_at = u.last_event_at, status_at = u.status_at, ended_at = u.ended_at,
      event_count = u.event_count, reopen_count = u.reopen_count, start_reason = u.start_reason,
      input_tokens = u.input_tokens, output_tokens = u.output_tokens, cache_read_tokens = u.cache_read_tokens,
      cache_creation_tokens = u.cache_creation_tokens, cost_micros = u.cost_micros, model = u.model,
      model_at = u.model_at, api_errors = u.api_errors, tool_calls_hooks = u.tool_calls_hooks,
      tool_calls_otel = u.tool_calls_otel, span_count = u.span_count, updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS u(
      id text, source text, project text, cwd text, host text, title text, title_at timestamptz,
      status text, waiting_reason text, end_reason text, end_detail text, started_at timestamptz,
      last_event_at timestamptz, status_at timestamptz, ended_at timestamptz, event_count int,
      reopen_count int, start_reason text, input_tokens bigint, output_tokens bigint,
      cache_read_tokens bigint, cache_creation_tokens bigint, cost_micros bigint, model text,
      model_at timestamptz, api_errors int, tool_calls_hooks int, tool_calls_otel int, span_count int)
    WHERE s.id = u.id`;
}
