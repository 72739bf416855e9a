"use client";

import { useQuery } from "@tanstack/react-query";
import type { StatsJson } from "@pulse/core";
import { fetchStats } from "@/lib/browser-api";
import { localMidnightIso } from "@/lib/format";
import { queryKeys } from "./query-keys";

/** Time windows move on their own ("today", "last 24 h"); while ingest is unreachable, retry often. */
const REFRESH_MS = 30_000;
const RETRY_MS = 5_000;

/**
 * The key figures. The server rendered them for its own time zone's midnight: they are asked again
 * for the viewer's as soon as the page is shown (stale at once), then kept current by LiveCache.
 */
export function useStats(initial: StatsJson | null): { stats: StatsJson | null; error: string | null } {
  const query = useQuery({
    queryKey: queryKeys.stats,
    queryFn: ({ signal }) => fetchStats(localMidnightIso(Date.now()), signal),
    initialData: initial ?? undefined,
    staleTime: 0,
    refetchInterval: (q) => (q.state.status === "error" ? RETRY_MS : REFRESH_MS),
  });
  return { stats: query.data ?? null, error: query.error?.message ?? null };
}
