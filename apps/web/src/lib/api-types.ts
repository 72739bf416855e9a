/**
 * The ingest API's JSON, as docs/api.md documents it. The dashboard reads only through that API, so
 * these types follow the contract, not the database. Fields added after the first release are
 * optional so an older ingest still renders.
 */
export type SessionStatus = "active" | "waiting" | "ended";

export interface Session {
  id: string;
  source: string;
  project: string | null;
  cwd: string | null;
  host: string | null;
  title: string | null;
  status: SessionStatus;
  waiting_reason: string | null;
  end_reason: string | null;
  end_detail: string | null;
  started_at: string | null;
  last_event_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  event_count: number;
  reopen_count: number;
  parent_session_id?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_tokens?: number | null;
  cache_creation_tokens?: number | null;
  cost_usd?: number | null;
  model?: string | null;
  api_errors?: number | null;
  tool_calls?: number | null;
}

export interface SessionEvent {
  id: string;
  kind: string;
  name: string | null;
  time: string;
  tool: string | null;
  detail: string | null;
}

export interface SessionWithEvents extends Session {
  events: SessionEvent[];
}

export interface SessionPage {
  items: Session[];
  next_cursor: string | null;
}

export interface Stats {
  active: number;
  waiting: number;
  ended: number;
  total: number;
  reaped_24h: number;
  avg_duration_ms_24h: number | null;
  cost_usd_24h?: number;
  input_tokens_24h?: number;
  output_tokens_24h?: number;
  since?: { from: string; ended: number; reaped: number; avg_duration_ms: number | null; cost_usd?: number };
}

export interface TimelinePoint {
  t: string;
  working: number;
  waiting: number;
}

export interface Timeline {
  from: string;
  to: string;
  step_ms: number;
  points: TimelinePoint[];
}

export interface CostByProject {
  tz: string;
  days: Array<{ date: string; project: string | null; cost_usd: number }>;
}

/** What the sessions channel carries (and /api/stream forwards). */
export interface SessionMessage {
  type: "session";
  session: Session;
}
