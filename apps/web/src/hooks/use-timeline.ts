"use client";

import { useQuery } from "@tanstack/react-query";
import type { Timeline } from "@pulse/core";
import { fetchTimeline } from "@/lib/browser-api";
import { TIMELINE_REFRESH_MS } from "./live-cache";
import { queryKeys } from "./query-keys";

/**
 * Concurrent sessions over the last 24 h. Fetched by the browser, not rendered with the page:
 * ingest computes it on its request thread (hundreds of ms with 10,000 sessions), and it does not
 * change with the filters, so a new filter does not pay for it again. A failed refetch keeps the
 * last chart and says why.
 */
export function useTimeline(): { timeline: Timeline | null; error: string | null } {
  const query = useQuery({
    queryKey: queryKeys.timeline,
    queryFn: ({ signal }) => fetchTimeline(signal),
    staleTime: TIMELINE_REFRESH_MS,
    refetchInterval: TIMELINE_REFRESH_MS,
  });
  return { timeline: query.data ?? null, error: query.error?.message ?? null };
}
