/**
 * `@pulse/core/api-client`: the ingest API for the dashboard's server code and the CLI's commands,
 * typed by the contract's schemas but without zod at run time (type-only imports): each caller
 * passes its own `call` (the dashboard: fetch; the CLI: its http transport, which never loads
 * undici), which sends one request and turns any non-2xx answer into that caller's error.
 */
import type { CalendarParams, CleanupParams, SessionListParams, StatsParams, TimelineParams } from "./requests";
import type {
  CleanupJson,
  CostByProjectJson,
  DailyStatsJson,
  FacetsJson,
  QueuesJson,
  SessionJson,
  SessionPageJson,
  SessionWithEventsJson,
  StatsReplyJson,
  TimelineJson,
} from "./responses";
import type {
  ChannelCreateParams,
  ChannelJson,
  ChannelListJson,
  NotificationSettingsJson,
  NotificationSettingsParams,
  NotificationTestParams,
  NotificationTestResultJson,
} from "./notifications";

export { parseStatusList, STATUS_ALIASES } from "./status-filter";

/** Sends one request (the body as JSON when given) and returns the answer's JSON, or throws. */
export type ApiCall = <T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown) => Promise<T>;

type QueryValue = string | number | boolean | string[] | null | undefined;

/** The query string of the parameters that are set (arrays comma-joined), with its `?`, or "". */
export function queryString(params: Record<string, QueryValue>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    if (text !== "") query.set(key, text);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

/**
 * The queries as a client writes them. The schemas' input types say `unknown` for coerced numbers
 * (a query string is text), so these name what is meant; `satisfies` below keeps their keys the
 * schemas' own.
 */
export type SessionListQuery = {
  status?: string | string[];
  project?: string;
  source?: string;
  q?: string;
  limit?: number;
  cursor?: string;
};
export type StatsQuery = { since?: string };
export type TimelineQuery = { hours?: number; buckets?: number };
export type CalendarQuery = { days?: number; tz?: string };
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
// A key renamed or added in a schema and not here fails the build.
const keysMatch: [
  SameKeys<SessionListQuery, SessionListParams>,
  SameKeys<StatsQuery, StatsParams>,
  SameKeys<TimelineQuery, TimelineParams>,
  SameKeys<CalendarQuery, CalendarParams>,
] = [true, true, true, true];
void keysMatch;

export const sessionPath = (id: string) => `/v1/sessions/${encodeURIComponent(id)}`;

export function createApiClient(call: ApiCall) {
  return {
    listSessions: (query: SessionListQuery = {}) => call<SessionPageJson>("GET", `/v1/sessions${queryString(query)}`),
    getSession: (id: string) => call<SessionWithEventsJson>("GET", sessionPath(id)),
    closeSession: (id: string) => call<SessionJson>("POST", `${sessionPath(id)}/close`),
    cleanup: (body: CleanupParams) => call<CleanupJson>("POST", "/v1/sessions/cleanup", body),
    facets: () => call<FacetsJson>("GET", "/v1/facets"),
    stats: (query: StatsQuery = {}) => call<StatsReplyJson>("GET", `/v1/stats${queryString(query)}`),
    timeline: (query: TimelineQuery = {}) => call<TimelineJson>("GET", `/v1/stats/timeline${queryString(query)}`),
    daily: (query: CalendarQuery = {}) => call<DailyStatsJson>("GET", `/v1/stats/daily${queryString(query)}`),
    costByProject: (query: CalendarQuery = {}) =>
      call<CostByProjectJson>("GET", `/v1/stats/cost-by-project${queryString(query)}`),
    queues: () => call<QueuesJson>("GET", "/v1/queues"),
    listChannels: () => call<ChannelListJson>("GET", "/v1/notifications/channels"),
    createChannel: (body: ChannelCreateParams) => call<ChannelJson>("POST", "/v1/notifications/channels", body),
    deleteChannel: (id: string) => call<ChannelJson>("DELETE", `/v1/notifications/channels/${encodeURIComponent(id)}`),
    testNotifications: (body: NotificationTestParams = {}) =>
      call<NotificationTestResultJson>("POST", "/v1/notifications/test", body),
    notificationSettings: () => call<NotificationSettingsJson>("GET", "/v1/notifications/settings"),
    updateNotificationSettings: (body: NotificationSettingsParams) =>
      call<NotificationSettingsJson>("PUT", "/v1/notifications/settings", body),
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
