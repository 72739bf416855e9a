/**
 * The JSON the ingest API answers with (docs/api.md), beyond a session itself (session-json.ts) and
 * the timeline (timeline.ts). Ingest produces these; the dashboard and the CLI read them: one
 * definition for all three.
 */
import type { SessionEventJson, SessionJson } from "./session-json";

export interface SessionPageJson {
  items: SessionJson[];
  next_cursor: string | null;
}

export interface SessionWithEventsJson extends SessionJson {
  /** The newest 200, newest first. */
  events: SessionEventJson[];
}

/** What the sessions channel carries (`<prefix>:sessions`; the dashboard's /api/stream forwards it). */
export interface SessionMessageJson {
  type: "session";
  session: SessionJson;
}

export interface StatsJson {
  active: number;
  waiting: number;
  ended: number;
  total: number;
  /** Sessions the reaper ended whose end (their last activity) falls in the last 24 h. */
  reaped_24h: number;
  /** Mean duration of sessions that ended in the last 24 h; null when none did. */
  avg_duration_ms_24h: number | null;
  /** Cost the agents reported, by event time. */
  cost_usd_24h: number;
  /** Pulse's estimate for events with tokens but no reported cost (never included in cost_usd_24h). */
  estimated_cost_usd_24h: number;
  input_tokens_24h: number;
  output_tokens_24h: number;
  cache_read_tokens_24h: number;
  cache_creation_tokens_24h: number;
  /** With `?since=`: the same window figures since that moment. */
  since?: { from: string; ended: number; reaped: number; avg_duration_ms: number | null; cost_usd: number; estimated_cost_usd: number };
}

export interface DailyStatsJson {
  tz: string;
  days: Array<{ date: string; sessions: number; ended: number; avg_duration_ms: number | null; cost_usd: number; estimated_cost_usd: number }>;
}

export interface CostByProjectJson {
  tz: string;
  /** Reported cost and Pulse's estimate, side by side (never summed). */
  days: Array<{ date: string; project: string | null; cost_usd: number; estimated_cost_usd: number }>;
}

export interface FacetsJson {
  projects: Array<{ name: string; sessions: number }>;
  sources: Array<{ name: string; sessions: number }>;
}

export interface CleanupJson {
  dry_run: boolean;
  older_than_minutes: number;
  count: number;
  sessions: SessionJson[];
}
