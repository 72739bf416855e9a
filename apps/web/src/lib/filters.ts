import { STATUS_ALIASES } from "@pulse/core/api-client";
import type { SessionJson, SessionStatus } from "@pulse/core";

/** The sessions page's filters, as kept in the URL (`?status=open&project=…&source=…&q=…`). */
export interface Filters {
  status: StatusFilter;
  project: string;
  source: string;
  q: string;
}

/** The keys are the API's own words for `status` (`open` is its alias: the statuses are its). */
export const STATUS_FILTERS = {
  all: { label: "All", statuses: [] },
  open: { label: "Open (working or waiting)", statuses: STATUS_ALIASES.open },
  active: { label: "Working", statuses: ["active"] },
  waiting: { label: "Waiting on you", statuses: ["waiting"] },
  ended: { label: "Ended", statuses: ["ended"] },
} as const satisfies Record<string, { label: string; statuses: readonly SessionStatus[] }>;
export type StatusFilter = keyof typeof STATUS_FILTERS;

export const NO_FILTERS: Filters = { status: "all", project: "", source: "", q: "" };

const MAX_TEXT = 200;
const param = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? (value[0] ?? "") : (value ?? "")).trim().slice(0, MAX_TEXT);

/** Reads filters from a URL's query; unknown or malformed values fall back to "no filter". */
export function parseFilters(query: Record<string, string | string[] | undefined> | URLSearchParams): Filters {
  const get = (key: string) => param(query instanceof URLSearchParams ? (query.get(key) ?? undefined) : query[key]);
  const status = get("status");
  return {
    // Own keys only: `in` also finds the prototype's (`?status=hasOwnProperty` was a 500).
    status: Object.hasOwn(STATUS_FILTERS, status) ? (status as StatusFilter) : "all",
    project: get("project"),
    source: get("source"),
    q: get("q"),
  };
}

/** The query string for filters, without defaults (so "/" means no filter). */
export function filtersToQuery(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.status !== "all") params.set("status", filters.status);
  if (filters.project) params.set("project", filters.project);
  if (filters.source) params.set("source", filters.source);
  if (filters.q) params.set("q", filters.q);
  return params.toString();
}

export const hasFilters = (filters: Filters) => filtersToQuery(filters) !== "";

export const statusesOf = (filters: Filters): SessionStatus[] => [...STATUS_FILTERS[filters.status].statuses];

/**
 * Whether a session belongs in the filtered list: the same rules as the API's (exact project and
 * source, free text in title, project, cwd, host or id, case-insensitive), so a live change can be
 * placed without asking the server.
 */
export function matchesFilters(session: SessionJson, filters: Filters): boolean {
  const statuses = statusesOf(filters);
  if (statuses.length && !statuses.includes(session.status)) return false;
  if (filters.project && session.project !== filters.project) return false;
  if (filters.source && session.source !== filters.source) return false;
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    const haystack = [session.title, session.project, session.cwd, session.host, session.id];
    if (!haystack.some((field) => field?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** Sessions per page of the list (first render, each "Show more"). */
export const PAGE_SIZE = 100;
