"use client";

import { useQuery } from "@tanstack/react-query";
import type { CostByProjectJson } from "@pulse/core";
import { fetchCostByProject } from "@/lib/browser-api";
import { queryKeys } from "./query-keys";

/** Costs change with every API call an agent makes: refetched at most this often (live changes included). */
const REFRESH_MS = 60_000;

/** Cost per project per day over `days` days, in the viewer's time zone (which only the browser knows). */
export function useCostByProject(days: number): { data: CostByProjectJson | null; error: string | null } {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const query = useQuery({
    queryKey: queryKeys.costByProjectIn(days, timeZone),
    queryFn: ({ signal }) => fetchCostByProject(days, timeZone, signal),
    staleTime: REFRESH_MS,
    refetchInterval: REFRESH_MS,
  });
  return { data: query.data ?? null, error: query.error?.message ?? null };
}
