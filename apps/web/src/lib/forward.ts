import type { NextRequest } from "next/server";
import { ingestApi } from "./ingest";
import { relay } from "./relay";

const DEFAULT_PAGE = 100;
const DEFAULT_COST_DAYS = 14;

/**
 * The browser's /api routes that only read or act through ingest, each one call of the typed client
 * (ingest validates and says what is wrong; relay answers in the API's shape, 502 when ingest is
 * away). Next needs a route file per path; each is one line naming its entry here. Who may call them
 * (login cookie, peer address, well-formed URL) is decided before, in proxy.ts, for every route alike.
 */
const FORWARDS = {
  /** A page of sessions; `status` is the API's (`open` = working or waiting). */
  sessions: (q) => {
    const limit = q.has("limit") ? Number(q.get("limit")) : undefined;
    return ingestApi.listSessions({
      status: q.get("status")?.split(",").filter(Boolean),
      project: q.get("project") ?? undefined,
      source: q.get("source") ?? undefined,
      q: q.get("q") ?? undefined,
      limit: limit !== undefined && Number.isFinite(limit) ? limit : DEFAULT_PAGE,
      cursor: q.get("cursor") ?? undefined,
    });
  },
  session: (_q, id) => ingestApi.getSession(id),
  /** The "Close session" button: ingest ends the session and publishes the change. */
  closeSession: (_q, id) => ingestApi.closeSession(id),
  /** KPI figures; `since` is the browser's local midnight, so "today" is the viewer's day. */
  stats: (q) => ingestApi.stats({ since: q.get("since") ?? undefined }),
  /** Concurrent sessions over the last 24 h in 15-minute steps, for the chart. */
  timeline: () => ingestApi.timeline({ hours: 24, buckets: 96 }),
  costByProject: (q) => {
    const days = Number(q.get("days") ?? DEFAULT_COST_DAYS);
    return ingestApi.costByProject({
      days: Number.isInteger(days) && days > 0 ? days : DEFAULT_COST_DAYS,
      tz: q.get("tz") ?? undefined,
    });
  },
} satisfies Record<string, (query: URLSearchParams, id: string) => Promise<unknown>>;

/** The route handler for one forwarded route; `id` is the `[id]` segment where the path has one. */
export function forward(name: keyof typeof FORWARDS) {
  return async (
    request: NextRequest,
    context?: { params?: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> => {
    // Next passes no params to a route without dynamic segments.
    const { id } = (await context?.params) ?? {};
    return relay(() => FORWARDS[name](request.nextUrl.searchParams, typeof id === "string" ? id : ""));
  };
}
