"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Session, SessionPage, Stats, Timeline } from "@/lib/api-types";
import { api, ApiError } from "@/lib/browser-api";
import { type Filters, filtersToQuery, hasFilters, matchesFilters, PAGE_SIZE, statusesOf } from "@/lib/filters";
import { formatCount, localMidnightIso } from "@/lib/format";
import { AGENT_SOURCES } from "@/lib/labels";
import { compareByActivity, groupByProject, mergeSessions, upsertSession } from "@/lib/session-order";
import { throttle } from "@/lib/throttle";
import { ConcurrencyChart } from "./concurrency-chart";
import { CostChart } from "./cost-chart";
import { EmptyState } from "./empty-state";
import { FiltersBar } from "./filters-bar";
import { IngestBanner } from "./ingest-banner";
import { KpiCards } from "./kpi-cards";
import { useLive } from "./live-provider";
import { SessionsTable } from "./session-table";

/** A resync refetches what is shown, up to the API's page limit. */
const MAX_RESYNC = 500;

export interface DashboardData {
  page: SessionPage | null;
  stats: Stats | null;
  /** Why sessions could not be read (ingest down…); null when they were. */
  error: string | null;
}

interface TimelineResult {
  timeline: Timeline | null;
  error: string | null;
}

/** How often the chart is refetched at most: its resolution is 15 minutes, its cost grows with sessions. */
const TIMELINE_REFRESH_MS = 30_000;

function sessionsQuery(filters: Filters, extra: Record<string, string>): string {
  const params = new URLSearchParams();
  const statuses = statusesOf(filters);
  if (statuses.length) params.set("status", statuses.join(","));
  if (filters.project) params.set("project", filters.project);
  if (filters.source) params.set("source", filters.source);
  if (filters.q) params.set("q", filters.q);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The sessions page once in the browser: the server's first render, then kept current by the live
 * stream. Each change is placed in the list by the same filter and order rules the API uses; each
 * (re)connect of the stream refetches, and changes arriving during that refetch are applied after
 * it, so none is lost and none is overwritten by an older copy.
 */
export function SessionsDashboard({ filters, initial, ingestUrl, withToken }: { filters: Filters; initial: DashboardData; ingestUrl: string; withToken: boolean }) {
  const [sessions, setSessions] = useState<Session[]>(initial.page?.items ?? []);
  const [cursor, setCursor] = useState<string | null>(initial.page?.next_cursor ?? null);
  const [stats, setStats] = useState<Stats | null>(initial.stats);
  /**
   * The chart is fetched by the browser, not rendered with the page: ingest computes it on its request
   * thread (hundreds of ms with 10,000 sessions), and it does not change with the filters, so a new
   * filter must not pay for it again.
   */
  const [timeline, setTimeline] = useState<TimelineResult | null>(null);
  const [error, setError] = useState<string | null>(initial.error);
  const [loadingMore, setLoadingMore] = useState(false);

  // New filters (the URL changed): the server rendered their first page; start the list over from it.
  // The rest of the page (filter form included) stays mounted, so typing is never interrupted.
  const query = filtersToQuery(filters);
  const [listQuery, setListQuery] = useState(query);
  if (query !== listQuery) {
    setListQuery(query);
    setSessions(initial.page?.items ?? []);
    setCursor(initial.page?.next_cursor ?? null);
    setError(initial.error);
  }
  const queryRef = useRef(query);
  queryRef.current = query;
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const sessionsRef = useRef(sessions);
  sessionsRef.current = sessions;
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  const resyncing = useRef(false);
  const resyncAgain = useRef(false);
  const buffered = useRef<Session[]>([]);

  const refreshStats = useMemo(
    () =>
      throttle(() => {
        api<Stats>(`/api/stats?since=${encodeURIComponent(localMidnightIso(Date.now()))}`).then(setStats, (e) => setError(messageOf(e)));
      }, 1000),
    [],
  );
  const refreshTimeline = useMemo(
    () =>
      throttle(
        () => {
          api<Timeline>("/api/stats/timeline").then(
            (t) => setTimeline({ timeline: t, error: null }),
            (e) => setTimeline((current) => ({ timeline: current?.timeline ?? null, error: messageOf(e) })),
          );
        },
        TIMELINE_REFRESH_MS,
      ),
    [],
  );

  /** Places one changed session: in, moved, or out of the list. */
  const applyChange = useCallback(
    (changed: Session) => {
      setSessions((list) => {
        const present = list.some((s) => s.id === changed.id);
        const last = list[list.length - 1];
        // Beyond the last loaded row (more pages not loaded yet) a session waits for "Show more".
        const withinLoaded = present || cursorRef.current === null || !last || compareByActivity(changed, last) < 0;
        return upsertSession(list, changed, withinLoaded && matchesFilters(changed, filtersRef.current));
      });
    },
    [],
  );

  const resync = useCallback(async () => {
    if (resyncing.current) {
      resyncAgain.current = true;
      return;
    }
    resyncing.current = true;
    const startedFor = queryRef.current;
    try {
      const limit = Math.min(MAX_RESYNC, Math.max(PAGE_SIZE, sessionsRef.current.length));
      const page = await api<SessionPage>(`/api/sessions?${sessionsQuery(filters, { limit: String(limit) })}`);
      // The filters changed while this was in flight: its answer is for a list no longer shown.
      if (startedFor !== queryRef.current) return;
      setSessions(page.items);
      setCursor(page.next_cursor);
      cursorRef.current = page.next_cursor;
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      resyncing.current = false;
      const queued = buffered.current;
      buffered.current = [];
      for (const s of queued) applyChange(s);
    }
    refreshStats.run();
    refreshTimeline.run();
    if (resyncAgain.current) {
      resyncAgain.current = false;
      void resync();
    }
  }, [filters, applyChange, refreshStats, refreshTimeline]);

  useLive({
    onSession(session) {
      if (resyncing.current) buffered.current.push(session);
      else applyChange(session);
      refreshStats.run();
      refreshTimeline.run();
    },
    onResync: () => void resync(),
  });

  // Time windows move on their own ("today", "last 24 h"); while ingest is unreachable, retry often.
  useEffect(() => {
    const every = error ? 5_000 : 30_000;
    const timer = setInterval(() => {
      if (error) void resync();
      else {
        refreshStats.run();
        refreshTimeline.run();
      }
    }, every);
    return () => clearInterval(timer);
  }, [error, resync, refreshStats, refreshTimeline]);
  // Changes that arrived between the server's render of the new filters and now went to the old list.
  const firstQuery = useRef(query);
  useEffect(() => {
    if (query !== firstQuery.current) void resync();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per new filter
  }, [query]);
  // The server computed "today" in its own time zone; ask again for the viewer's. And draw the chart.
  useEffect(() => {
    refreshStats.run();
    refreshTimeline.run();
  }, [refreshStats, refreshTimeline]);
  useEffect(
    () => () => {
      refreshStats.cancel();
      refreshTimeline.cancel();
    },
    [refreshStats, refreshTimeline],
  );

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    const startedFor = queryRef.current;
    try {
      const page = await api<SessionPage>(`/api/sessions?${sessionsQuery(filters, { limit: String(PAGE_SIZE), cursor })}`);
      if (startedFor !== queryRef.current) return;
      setSessions((list) => mergeSessions(list, page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      if (e instanceof ApiError && !e.unreachable) setError(`could not load more sessions: ${e.message}`);
      else setError(messageOf(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const groups = useMemo(() => groupByProject(sessions), [sessions]);
  const projects = useMemo(() => [...new Set(sessions.map((s) => s.project).filter((p): p is string => !!p))].sort(), [sessions]);
  const sources = useMemo(() => [...new Set([...AGENT_SOURCES, ...sessions.map((s) => s.source)])].sort(), [sessions]);
  const filtered = hasFilters(filters);
  const neverAnySession = !error && stats !== null && stats.total === 0 && sessions.length === 0;

  return (
    <>
      {error ? <IngestBanner message={error} /> : null}
      <KpiCards stats={stats} />
      <div className="chart-row">
        <section className="panel" aria-labelledby="chart-heading">
          <h2 id="chart-heading" className="panel-title">
            Concurrent sessions, last 24 h
          </h2>
          <ConcurrencyChart timeline={timeline?.timeline ?? null} error={timeline?.error ?? null} />
        </section>
        <section className="panel" aria-labelledby="cost-heading">
          <h2 id="cost-heading" className="panel-title">
            Cost per project, last 14 days
          </h2>
          <CostChart />
        </section>
      </div>
      <section className="panel" aria-labelledby="sessions-heading">
        <div className="panel-head">
          <h2 id="sessions-heading" className="panel-title">
            Sessions
          </h2>
          <span className="muted" data-testid="shown-count">
            {formatCount(sessions.length)} shown{cursor ? " · more below" : ""}
          </span>
        </div>
        <FiltersBar filters={filters} projects={projects} sources={sources} />
        {neverAnySession ? (
          <EmptyState ingestUrl={ingestUrl} withToken={withToken} />
        ) : sessions.length === 0 && !error ? (
          <p className="empty-filtered" role="status">
            No sessions match {filtered ? "these filters" : "yet"}. {filtered ? <Link href="/">Show all sessions</Link> : null}
          </p>
        ) : (
          <div className="groups" data-testid="session-groups">
            <SessionsTable groups={groups} />
          </div>
        )}
        {cursor ? (
          <div className="load-more">
            <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? "Loading…" : `Show ${PAGE_SIZE} more`}
            </button>
          </div>
        ) : null}
      </section>
    </>
  );
}
