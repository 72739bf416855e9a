import { AGENT_IDS } from "@pulse/core/agents";
import { CHANNEL_TYPES, NOTIFY_REASONS } from "@pulse/core/api";

/** The label value everything past a cap, unknown or missing becomes. */
export const OTHER = "other";

/** Agents named besides the known ones (`/v1/events` takes any name): the most frequent few, the rest are "other". */
export const MAX_OTHER_AGENTS = 10;

/**
 * A bounded label: the known values stay as they are, then the `max` values with the largest counts,
 * and everything else (and null) becomes "other". The agent is free text on `/v1/events`: without a
 * cap, one script sending random names would make a series per name in every Prometheus scraping us.
 */
export function boundedLabel(
  counts: Iterable<readonly [string | null, number]>,
  known: readonly string[],
  max: number,
): (value: string | null) => string {
  const totals = new Map<string, number>();
  for (const [value, n] of counts)
    if (value !== null && !known.includes(value)) totals.set(value, (totals.get(value) ?? 0) + n);
  // Ties by name, so the same data always keeps the same values.
  const kept = new Set([
    ...known,
    ...[...totals]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, max)
      .map(([value]) => value),
  ]);
  return (value) => (value !== null && kept.has(value) ? value : OTHER);
}

/** A cap for the agent label: claude-code, codex, gemini, and the MAX_OTHER_AGENTS most frequent others. */
export const agentLabel = (counts: Iterable<readonly [string | null, number]>) =>
  boundedLabel(counts, AGENT_IDS, MAX_OTHER_AGENTS);

/** A waiting reason (an attention event may carry any reason): the known ones, else "other". */
export const reasonLabel = (reason: string | null): string =>
  reason !== null && (NOTIFY_REASONS as readonly string[]).includes(reason) ? reason : OTHER;

/** A channel type as the table holds it: the known ones, else "other". */
export const channelTypeLabel = (type: string): string =>
  (CHANNEL_TYPES as readonly string[]).includes(type) ? type : OTHER;
