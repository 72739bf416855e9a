import { durationMs, type SessionState } from "./lifecycle";
import { toolCalls } from "./usage";
import type { SessionJson } from "./api/responses";

/** A session as the API returns it and as it is published on the sessions channel (api/responses.ts). */
export type { SessionEventJson, SessionJson } from "./api/responses";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toSessionJson(session: SessionState): SessionJson {
  return {
    id: session.id,
    source: session.source,
    project: session.project,
    cwd: session.cwd,
    host: session.host,
    title: session.title,
    status: session.status,
    waiting_reason: session.waitingReason,
    end_reason: session.endReason,
    end_detail: session.endDetail,
    started_at: iso(session.startedAt),
    last_event_at: iso(session.lastEventAt),
    alive_at: iso(session.aliveAt),
    waiting_since: session.status === "waiting" ? iso(session.waitingSince ?? session.statusAt) : null,
    waiting_detail: session.status === "waiting" ? session.waitingDetail : null,
    waited_ms: session.waitedMs,
    ended_at: iso(session.endedAt),
    duration_ms: durationMs(session),
    event_count: session.eventCount,
    reopen_count: session.reopenCount,
    parent_session_id: session.parentSessionId,
    input_tokens: session.inputTokens,
    output_tokens: session.outputTokens,
    cache_read_tokens: session.cacheReadTokens,
    cache_creation_tokens: session.cacheCreationTokens,
    cost_usd: session.costMicros / 1_000_000,
    estimated_cost_usd: session.estimatedCostMicros / 1_000_000,
    model: session.model,
    api_errors: session.apiErrors,
    tool_calls: toolCalls(session),
    span_count: session.spanCount,
  };
}
