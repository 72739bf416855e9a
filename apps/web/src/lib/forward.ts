import type { ChannelCreateParams, NotificationSettingsParams, NotificationTestParams } from "@pulse/core/api";
import type { NextRequest } from "next/server";
import { ingestApi } from "./ingest";
import { relay } from "./relay";

const DEFAULT_PAGE = 100;
const DEFAULT_COST_DAYS = 14;
const DEFAULT_DAILY_DAYS = 14;
/** A channel or settings body is a few hundred bytes; anything far beyond is refused before parsing. */
const MAX_BODY_BYTES = 16_384;

const days = (q: URLSearchParams, fallback: number) => {
  const n = Number(q.get("days") ?? fallback);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

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
  costByProject: (q) => ingestApi.costByProject({ days: days(q, DEFAULT_COST_DAYS), tz: q.get("tz") ?? undefined }),
  /** Per day in the viewer's time zone (sessions, cost, time waiting on the user). */
  daily: (q) => ingestApi.daily({ days: days(q, DEFAULT_DAILY_DAYS), tz: q.get("tz") ?? undefined }),
  // Notifications (the Settings page): ingest validates the bodies and masks the secrets it answers with.
  channels: () => ingestApi.listChannels(),
  createChannel: (_q, _id, body) => ingestApi.createChannel(body as ChannelCreateParams),
  deleteChannel: (_q, id) => ingestApi.deleteChannel(id),
  testNotifications: (_q, _id, body) => ingestApi.testNotifications((body ?? {}) as NotificationTestParams),
  notificationSettings: () => ingestApi.notificationSettings(),
  updateNotificationSettings: (_q, _id, body) =>
    ingestApi.updateNotificationSettings(body as NotificationSettingsParams),
} satisfies Record<string, (query: URLSearchParams, id: string, body: unknown) => Promise<unknown>>;

/** Forwards that create something answer 201, as ingest does. */
const CREATES: ReadonlySet<keyof typeof FORWARDS> = new Set(["createChannel"]);

const badBody = (message: string) => Response.json({ error: "invalid_request", message }, { status: 400 });

/**
 * The route handler for one forwarded route; `id` is the `[id]` segment where the path has one. A
 * body (POST, PUT) is read as JSON and passed on as it is: ingest's schema says what is wrong with it.
 */
export function forward(name: keyof typeof FORWARDS) {
  return async (
    request: NextRequest,
    context?: { params?: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> => {
    // Next passes no params to a route without dynamic segments.
    const { id } = (await context?.params) ?? {};
    let body: unknown = undefined;
    if (request.method === "POST" || request.method === "PUT") {
      const text = await request.text();
      if (text.length > MAX_BODY_BYTES) return badBody(`the body must be at most ${MAX_BODY_BYTES} bytes`);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return badBody("the body is not valid JSON");
      }
    }
    return relay(
      () => FORWARDS[name](request.nextUrl.searchParams, typeof id === "string" ? id : "", body),
      CREATES.has(name) ? 201 : 200,
    );
  };
}
