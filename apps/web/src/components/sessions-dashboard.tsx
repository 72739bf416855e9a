"use client";

import { useSessions } from "@/hooks/use-sessions";
import { useStats } from "@/hooks/use-stats";
import type { SessionPageJson, StatsJson } from "@pulse/core";
import type { Filters } from "@/lib/filters";
import { DashboardCharts } from "./dashboard-charts";
import { IngestBanner } from "./ingest-banner";
import { KpiCards } from "./kpi-cards";
import { NeedsYouInbox } from "./needs-you-inbox";
import { SessionsPanel } from "./sessions-panel";

export interface DashboardData {
  page: SessionPageJson | null;
  stats: StatsJson | null;
  /** Why sessions could not be read (ingest down…); null when they were. */
  error: string | null;
}

/**
 * The sessions page once in the browser: the server's first render, then kept current by the client
 * cache, which the live stream writes into (hooks/live-cache.ts). Its sections: the banner when
 * ingest cannot be read, the "Needs you" inbox, the key figures, the charts, and the filtered list.
 */
export function SessionsDashboard({
  filters,
  initial,
  ingestUrl,
  withToken,
}: {
  filters: Filters;
  initial: DashboardData;
  ingestUrl: string;
  withToken: boolean;
}) {
  const list = useSessions(filters, initial);
  const { stats, error: statsError } = useStats(initial.stats);
  const error = list.error ?? statsError;
  return (
    <>
      {error ? <IngestBanner message={error} /> : null}
      <NeedsYouInbox />
      <KpiCards stats={stats} />
      <DashboardCharts />
      <SessionsPanel
        filters={filters}
        list={list}
        neverAnySession={!error && stats !== null && stats.total === 0 && list.sessions.length === 0}
        ingestUrl={ingestUrl}
        withToken={withToken}
      />
    </>
  );
}
