"use client";

import { useQuery } from "@tanstack/react-query";
import type { DailyStatsJson } from "@pulse/core";
import { fetchDaily } from "@/lib/browser-api";
import { queryKeys } from "./query-keys";

/** Per-day figures move when sessions end or waits end: refetched at most this often (live changes included). */
const REFRESH_MS = 60_000;

/** Per-day figures over `days` days in the viewer's time zone (which only the browser knows). */
export function useDaily(days: number): { data: DailyStatsJson | null; error: string | null } {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const query = useQuery({
    queryKey: queryKeys.dailyIn(days, timeZone),
    queryFn: ({ signal }) => fetchDaily(days, timeZone, signal),
    staleTime: REFRESH_MS,
    refetchInterval: REFRESH_MS,
  });
  return { data: query.data ?? null, error: query.error?.message ?? null };
}
