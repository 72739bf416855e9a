import type { EventUsage, ReportedUsage } from "./event";

/** An event that reports no usage. */
export const NO_USAGE: ReportedUsage = {
  input_tokens: null,
  output_tokens: null,
  cache_read_tokens: null,
  cache_creation_tokens: null,
  cost_usd: null,
  model: null,
  api_error: false,
  tool_call: null,
};

/** Usage summed over a session's events. */
export interface SessionUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** Millionths of a dollar: integer sums stay exact however many events add to them. */
  costMicros: number;
  /**
   * Pulse's estimate (pricing.ts) for the events that had tokens and a model but no reported cost,
   * in millionths of a dollar. Kept apart from costMicros: an estimate is never added to a reported cost.
   */
  estimatedCostMicros: number;
  /** The model named by the newest event that named one. */
  model: string | null;
  modelAt: number | null;
  apiErrors: number;
  toolCallsHooks: number;
  toolCallsOtel: number;
}

export const NO_SESSION_USAGE: SessionUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
  costMicros: 0,
  estimatedCostMicros: 0,
  model: null,
  modelAt: null,
  apiErrors: 0,
  toolCallsHooks: 0,
  toolCallsOtel: 0,
};

export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);

/** An event's usage as the lifecycle reads it: an estimate only where buildEvent made one. */
export type UsageInput = ReportedUsage & Partial<Pick<EventUsage, "estimated_cost_usd">>;

/** Adds one event's usage (at event time `t`) to a session's sums. */
export function addUsage(sums: SessionUsage, usage: UsageInput, t: number): SessionUsage {
  const newerModel = usage.model !== null && (sums.modelAt === null || t >= sums.modelAt);
  return {
    inputTokens: sums.inputTokens + (usage.input_tokens ?? 0),
    outputTokens: sums.outputTokens + (usage.output_tokens ?? 0),
    cacheReadTokens: sums.cacheReadTokens + (usage.cache_read_tokens ?? 0),
    cacheCreationTokens: sums.cacheCreationTokens + (usage.cache_creation_tokens ?? 0),
    costMicros: sums.costMicros + (usage.cost_usd === null ? 0 : usdToMicros(usage.cost_usd)),
    estimatedCostMicros:
      sums.estimatedCostMicros + (usage.estimated_cost_usd == null ? 0 : usdToMicros(usage.estimated_cost_usd)),
    model: newerModel ? usage.model : sums.model,
    modelAt: newerModel ? t : sums.modelAt,
    apiErrors: sums.apiErrors + (usage.api_error ? 1 : 0),
    toolCallsHooks: sums.toolCallsHooks + (usage.tool_call === "hook" ? 1 : 0),
    toolCallsOtel: sums.toolCallsOtel + (usage.tool_call === "otel" ? 1 : 0),
  };
}

/** Tool calls of a session seen by hooks and by OpenTelemetry are the same calls: count the larger. */
export const toolCalls = (s: SessionUsage): number => Math.max(s.toolCallsHooks, s.toolCallsOtel);
