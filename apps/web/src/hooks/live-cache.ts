import { hashKey, type Query, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { SessionJson, SessionWithEventsJson } from "@pulse/core";
import { ChangeLog } from "@/lib/change-log";
import { type Filters, matchesFilters } from "@/lib/filters";
import { placeWaiting } from "@/lib/inbox";
import { placeInPages, type SessionPages } from "@/lib/session-pages";
import { queryKeys } from "./query-keys";

/** A change on the page refetches its events at most this often (a burst costs one refetch). */
const DETAIL_REFRESH_MS = 500;
/** The key figures move with every change; at most once a second. */
const STATS_REFRESH_MS = 1_000;
/** The chart's resolution is 15 minutes and its cost grows with sessions. */
export const TIMELINE_REFRESH_MS = 30_000;

const isListKey = (key: QueryKey) => key[0] === queryKeys.lists[0] && key[1] === queryKeys.lists[1];
const isDetailKey = (key: QueryKey) => key[0] === queryKeys.details[0] && key[1] === queryKeys.details[1];
const isInboxKey = (key: QueryKey) => hashKey(key) === hashKey(queryKeys.inbox);

/**
 * Writes the live stream into the client cache, so components only read: a changed session is
 * placed in every cached list (by that list's filters) and in the inbox's waiting sessions, and
 * merged into its page; what is derived from sessions (figures, chart, events) is refetched, throttled. A fetch of sessions that was in
 * flight when a change arrived may have read before it: when it lands, the change is written again
 * (ChangeLog), so a reconnect's refetch never puts back an older copy.
 */
export class LiveCache {
  private readonly log = new ChangeLog<SessionJson>();
  /** Query hash → when a fetch of it last started (throttle windows start there). */
  private readonly lastFetch = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private detach: (() => void) | null = null;

  constructor(private readonly client: QueryClient) {}

  /** Starts watching the cache's fetches; idempotent. Returns the stop. */
  attach(): () => void {
    this.detach ??= this.client.getQueryCache().subscribe((event) => {
      if (event.type === "removed") {
        this.log.end(event.query.queryHash);
        return;
      }
      if (event.type !== "updated") return;
      const { query, action } = event;
      if (action.type === "fetch") {
        this.lastFetch.set(query.queryHash, Date.now());
        if (this.isSessionQuery(query)) this.log.begin(query.queryHash);
        return;
      }
      // A fetch is over (answered, failed or cancelled): replay what arrived meanwhile onto its answer.
      if (query.state.fetchStatus !== "idle") return;
      const missed = this.log.end(query.queryHash);
      if (action.type === "success" && !action.manual) for (const s of missed) this.writeTo(query, s);
    });
    return () => this.stop();
  }

  stop(): void {
    this.detach?.();
    this.detach = null;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** A session changed (the stream, or an action of this tab such as closing it). */
  applyChange(session: SessionJson): void {
    this.log.record(session);
    const cache = this.client.getQueryCache();
    for (const query of cache.findAll({ queryKey: queryKeys.lists })) this.writeTo(query, session);
    const inbox = cache.find({ queryKey: queryKeys.inbox, exact: true });
    if (inbox) this.writeTo(inbox, session);
    const detail = cache.find({ queryKey: queryKeys.detail(session.id), exact: true });
    if (detail) {
      this.writeTo(detail, session);
      this.refetchSoon(detail.queryKey, DETAIL_REFRESH_MS);
    }
    this.refetchSoon(queryKeys.stats, STATS_REFRESH_MS);
    this.refetchSoon(queryKeys.timeline, TIMELINE_REFRESH_MS);
    // Costs: only once the shown ones are older than the chart's own staleTime.
    void this.client.refetchQueries({ queryKey: queryKeys.costByProject, type: "active", stale: true });
    // Time waiting per day moves when a wait ends: same rule.
    void this.client.refetchQueries({ queryKey: queryKeys.daily, type: "active", stale: true });
  }

  /** The stream is (again) subscribed: changes may have been missed until now, so refetch what is shown. */
  resync(): void {
    void this.client.refetchQueries({ queryKey: queryKeys.sessions, type: "active" });
    this.refetchSoon(queryKeys.stats, STATS_REFRESH_MS);
    this.refetchSoon(queryKeys.timeline, TIMELINE_REFRESH_MS);
  }

  private isSessionQuery(query: Query): boolean {
    return isListKey(query.queryKey) || isDetailKey(query.queryKey) || isInboxKey(query.queryKey);
  }

  private writeTo(query: Query, session: SessionJson): void {
    const key = query.queryKey;
    if (isListKey(key)) {
      const filters = key[2] as Filters;
      this.client.setQueryData<SessionPages>(
        key,
        (data) => data && placeInPages(data, session, matchesFilters(session, filters)),
      );
    } else if (isInboxKey(key)) {
      this.client.setQueryData<readonly SessionJson[]>(key, (data) => data && placeWaiting(data, session));
    } else if (isDetailKey(key) && key[2] === session.id) {
      // The header changes at once; the events come with the refetch.
      this.client.setQueryData<SessionWithEventsJson>(
        key,
        (data) => data && { ...data, ...session, events: data.events },
      );
    }
  }

  /**
   * Refetches a shown query at most once per `ms` from its last fetch: at once when that is long
   * enough ago, else once at the end of the window, so the last change is never left out.
   */
  private refetchSoon(queryKey: QueryKey, ms: number): void {
    const hash = hashKey(queryKey);
    if (this.timers.has(hash)) return;
    const query = this.client.getQueryCache().find({ queryKey, exact: true });
    if (!query?.isActive()) return; // nothing on screen reads it: it is fetched when something does
    const run = () => {
      this.timers.delete(hash);
      void this.client.refetchQueries({ queryKey, exact: true, type: "active" });
    };
    const wait = (this.lastFetch.get(hash) ?? 0) + ms - Date.now();
    if (wait <= 0) run();
    else this.timers.set(hash, setTimeout(run, wait));
  }
}
