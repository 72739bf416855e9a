/** The browser's calls to this dashboard's own /api routes (which read ingest server side). */

import type {
  ChannelCreateParams,
  ChannelJson,
  ChannelListJson,
  NotificationSettingsJson,
  NotificationSettingsParams,
  NotificationTestResultJson,
} from "@pulse/core/api";
import type {
  CostByProjectJson,
  DailyStatsJson,
  SessionJson,
  SessionPageJson,
  SessionWithEventsJson,
  StatsJson,
  Timeline,
} from "@pulse/core";
import { type Filters, statusesOf } from "./filters";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
  /** Ingest (or the dashboard server) could not be reached: the banner case, not a per-action error. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503;
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      cache: "no-store",
      headers: { accept: "application/json", ...init.headers },
    });
  } catch (error) {
    // Cancelled by the caller (the cache dropped a fetch it no longer needs): not an outage.
    if (init.signal?.aborted) throw error;
    throw new ApiError("cannot reach the dashboard server; is it running?", 0);
  }
  if (response.status === 401) {
    // The login cookie expired or the token changed: back to the login form, then here again.
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      (body as { message?: string } | null)?.message ?? `the dashboard server answered ${response.status}`,
      response.status,
    );
  }
  return body as T;
}

/** The list's query string: the filters as the API spells them (`status=active,waiting`), a page size and cursor. */
export function sessionsSearch(filters: Filters, page: { limit: number; cursor?: string | null }): string {
  const params = new URLSearchParams();
  const statuses = statusesOf(filters);
  if (statuses.length) params.set("status", statuses.join(","));
  if (filters.project) params.set("project", filters.project);
  if (filters.source) params.set("source", filters.source);
  if (filters.q) params.set("q", filters.q);
  params.set("limit", String(page.limit));
  if (page.cursor) params.set("cursor", page.cursor);
  return params.toString();
}

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export const fetchSessions = (
  filters: Filters,
  page: { limit: number; cursor?: string | null },
  signal?: AbortSignal,
) => api<SessionPageJson>(`/api/sessions?${sessionsSearch(filters, page)}`, { signal });

export const fetchSession = (id: string, signal?: AbortSignal) =>
  api<SessionWithEventsJson>(sessionPath(id), { signal });

/** Figures since `sinceIso` (the viewer's local midnight). */
export const fetchStats = (sinceIso: string, signal?: AbortSignal) =>
  api<StatsJson>(`/api/stats?since=${encodeURIComponent(sinceIso)}`, { signal });

export const fetchTimeline = (signal?: AbortSignal) => api<Timeline>("/api/stats/timeline", { signal });

export const fetchCostByProject = (days: number, timeZone: string, signal?: AbortSignal) =>
  api<CostByProjectJson>(`/api/stats/cost-by-project?days=${days}&tz=${encodeURIComponent(timeZone)}`, { signal });

export const closeSession = (id: string) => api<SessionJson>(`${sessionPath(id)}/close`, { method: "POST" });

/** The API's largest page: the inbox reads every waiting session, a page at a time. */
const WAITING_PAGE = 500;
/** Pages read at most (10,000 waiting sessions): beyond, the inbox shows the oldest-active first. */
const MAX_WAITING_PAGES = 20;

/**
 * Every waiting session, whatever the sessions list's filters and pages (the inbox's source). The
 * API has no filter by waiting reason, so the inbox picks the waits on the user from these.
 */
export async function fetchWaitingSessions(signal?: AbortSignal): Promise<SessionJson[]> {
  const out: SessionJson[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_WAITING_PAGES; i++) {
    const filters: Filters = { status: "waiting", project: "", source: "", q: "" };
    const page = await fetchSessions(filters, { limit: WAITING_PAGE, cursor }, signal);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export const fetchDaily = (days: number, timeZone: string, signal?: AbortSignal) =>
  api<DailyStatsJson>(`/api/stats/daily?days=${days}&tz=${encodeURIComponent(timeZone)}`, { signal });

const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

export const fetchNotificationSettings = (signal?: AbortSignal) =>
  api<NotificationSettingsJson>("/api/notifications/settings", { signal });

export const updateNotificationSettings = (body: NotificationSettingsParams) =>
  api<NotificationSettingsJson>("/api/notifications/settings", json("PUT", body));

export const fetchChannels = (signal?: AbortSignal) => api<ChannelListJson>("/api/notifications/channels", { signal });

export const createChannel = (body: ChannelCreateParams) =>
  api<ChannelJson>("/api/notifications/channels", json("POST", body));

export const deleteChannel = (id: string) =>
  api<ChannelJson>(`/api/notifications/channels/${encodeURIComponent(id)}`, { method: "DELETE" });

/** Sends a test to every channel (no id) or one. */
export const testNotifications = (channel?: string) =>
  api<NotificationTestResultJson>("/api/notifications/test", json("POST", channel ? { channel } : {}));
