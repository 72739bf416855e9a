/**
 * Estimated cost for agents that report tokens but no cost (Codex, Gemini CLI), from the list prices
 * of `@pydantic/genai-prices` (price-table.ts says which version and how it is kept current). An
 * estimate is Pulse's figure, kept apart from the cost an agent reports (`estimated_cost_usd` beside
 * `cost_usd`) and shown as an estimate wherever it is shown.
 *
 * Imported from core's index only, never from `agents/`: the CLI loads the adapters on `pulse
 * hook`'s hot path and must not load a price table.
 */
import type * as GenaiPrices from "@pydantic/genai-prices";
import { agentById } from "./agents";
import type { ReportedUsage } from "./event";

let calcPrice: typeof GenaiPrices.calcPrice | null = null;

/**
 * The table is loaded on first need (~120 ms, ~4 MB of heap on this machine), so processes that never
 * estimate (the reaper, the dashboard) never pay for it. Ingest may call this at boot to pay it there.
 */
export function loadPriceTable(): typeof GenaiPrices.calcPrice {
  calcPrice ??= (require("@pydantic/genai-prices") as typeof GenaiPrices).calcPrice;
  return calcPrice;
}

/**
 * The cost of one event's usage at the list price of its model at time `atMs`, in USD; null when the
 * agent reported a cost itself (that one counts), when the event has no tokens or no model, when the
 * source is no agent Pulse has an adapter for (whose token counts it could not read), when the table
 * does not know the model, or when the counts contradict each other (more cached than input tokens).
 */
export function estimateCostUsd(source: string, usage: ReportedUsage, atMs?: number): number | null {
  if (usage.cost_usd !== null || !usage.model) return null;
  if (usage.input_tokens === null && usage.output_tokens === null) return null;
  const agent = agentById(source);
  if (!agent) return null;
  const cacheRead = usage.cache_read_tokens ?? 0;
  const cacheWrite = usage.cache_creation_tokens ?? 0;
  // genai-prices wants the TOTAL input, cached tokens included, and prices the cached part apart.
  const input = (usage.input_tokens ?? 0) + (agent.pricing.inputIncludesCache ? 0 : cacheRead + cacheWrite);
  try {
    const price = loadPriceTable()(
      {
        input_tokens: input,
        output_tokens: usage.output_tokens ?? 0,
        cache_read_tokens: cacheRead,
        cache_write_tokens: cacheWrite,
      },
      usage.model,
      {
        providerId: agent.pricing.provider,
        ...(atMs !== undefined && Number.isFinite(atMs) ? { timestamp: new Date(atMs) } : {}),
      },
    );
    return price && Number.isFinite(price.total_price) && price.total_price >= 0 ? price.total_price : null;
  } catch {
    // genai-prices refuses counts that contradict each other: no estimate rather than a wrong one.
    return null;
  }
}
