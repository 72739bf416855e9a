import { durationMs, type EndReason, type SessionState, type SessionStatus } from "./lifecycle";
import { toolCalls } from "./usage";

/** A session as the API returns it and as it is published on the sessions channel. */
export interface SessionJson {
  id: string;
  source: string;
  project: string | null;
  cwd: string | null;
  host: string | null;
  title: string | null;
  status: SessionStatus;
  waiting_reason: string | null;
  end_reason: EndReason | null;
  end_detail: string | null;
  started_at: string | null;
  last_event_at: string | null;
  /** Newest proof that the agent's process lives (the watcher's); null without a watcher. */
  alive_at: string | null;
  /** Since when a waiting session waits (the event that made it wait); null unless waiting. */
  waiting_since: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  event_count: number;
  reopen_count: number;
  parent_session_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  /** The cost the agent reported (Claude Code); 0 when it reported none. */
  cost_usd: number;
  /**
   * Pulse's estimate for the events that had tokens and a model but no reported cost (Codex, Gemini
   * CLI; see pricing.ts): never included in cost_usd, shown as an estimate.
   */
  estimated_cost_usd: number;
  model: string | null;
  api_errors: number;
  tool_calls: number;
  span_count: number;
}

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
    waiting_since: session.status === "waiting" ? iso(session.statusAt) : null,
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

/** An event as listed on a session (newest first). */
export interface SessionEventJson {
  id: string;
  kind: string;
  name: string | null;
  time: string;
  tool: string | null;
  detail: string | null;
}
