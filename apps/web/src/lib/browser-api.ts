/** The browser's calls to this dashboard's own /api routes (which read ingest server side). */

import type {
  CostByProjectJson,
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
