"use client";

import Link from "next/link";
import { useMemo } from "react";
import type { SessionsList } from "@/hooks/use-sessions";
import { projectsOf, sourcesOf } from "@/lib/facets";
import { type Filters, hasFilters, PAGE_SIZE } from "@/lib/filters";
import { formatCount } from "@/lib/format";
import { AGENT_SOURCES } from "@/lib/labels";
import { groupByProject } from "@/lib/session-order";
import { EmptyState } from "./empty-state";
import { FiltersBar } from "./filters-bar";
import { SessionsTable } from "./session-table";

/** The list's section: how many are shown, the filters, the sessions by project (or why there are none), and "Show more". */
export function SessionsPanel({
  filters,
  list,
  neverAnySession,
  ingestUrl,
  withToken,
}: {
  filters: Filters;
  list: SessionsList;
  /** No session has ever arrived: show how to connect an agent. */
  neverAnySession: boolean;
  ingestUrl: string;
  withToken: boolean;
}) {
  const { sessions, hasMore } = list;
  const projects = useMemo(() => projectsOf(sessions), [sessions]);
  const sources = useMemo(() => sourcesOf(sessions, AGENT_SOURCES), [sessions]);
  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <div className="panel-head">
        <h2 id="sessions-heading" className="panel-title">
          Sessions
        </h2>
        <span className="muted" data-testid="shown-count">
          {formatCount(sessions.length)} shown{hasMore ? " · more below" : ""}
        </span>
      </div>
      <FiltersBar filters={filters} projects={projects} sources={sources} />
      {neverAnySession ? (
        <EmptyState ingestUrl={ingestUrl} withToken={withToken} />
      ) : sessions.length === 0 && !list.error ? (
        <NoMatch filtered={hasFilters(filters)} />
      ) : (
        <SessionsGroups list={list} />
      )}
      {hasMore ? (
        <div className="load-more">
          <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
            {list.loadingMore ? "Loading…" : `Show ${PAGE_SIZE} more`}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function NoMatch({ filtered }: { filtered: boolean }) {
  return (
    <p className="empty-filtered" role="status">
      No sessions match {filtered ? "these filters" : "yet"}.{" "}
      {filtered ? <Link href="/">Show all sessions</Link> : null}
    </p>
  );
}

function SessionsGroups({ list }: { list: SessionsList }) {
  const groups = useMemo(() => groupByProject(list.sessions), [list.sessions]);
  return (
    <div className="groups" data-testid="session-groups">
      <SessionsTable groups={groups} />
    </div>
  );
}
