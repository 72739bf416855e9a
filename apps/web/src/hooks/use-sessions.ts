"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { SessionJson, SessionPageJson } from "@pulse/core";
import { ApiError, fetchSessions } from "@/lib/browser-api";
import { type Filters, PAGE_SIZE } from "@/lib/filters";
import { hasMorePages, type SessionPages, sessionsOfPages } from "@/lib/session-pages";
import { queryKeys } from "./query-keys";
import { useRefetchWhenShown } from "./use-refetch-when-shown";

/** While the list cannot be read (ingest down), it is retried this often. */
const RETRY_MS = 5_000;

export interface SessionsList {
  sessions: SessionJson[];
  /** More pages exist beyond the loaded ones. */
  hasMore: boolean;
  loadMore(): void;
  loadingMore: boolean;
  /** Why the list could not be read; null when it was. */
  error: string | null;
}

/**
 * The sessions list for one set of filters, page by page (the API's cursor), starting from the
 * server's first page. Live changes are written into it by LiveCache; a stream resync refetches it.
 */
export function useSessions(
  filters: Filters,
  initial: { page: SessionPageJson | null; error: string | null },
): SessionsList {
  const queryKey = queryKeys.list(filters);
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchSessions(filters, { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    initialData: initial.page ? ({ pages: [initial.page], pageParams: [null] } satisfies SessionPages) : undefined,
    // Kept current by the stream, not by age.
    staleTime: Infinity,
    refetchInterval: (q) => (q.state.status === "error" ? RETRY_MS : false),
  });
  useRefetchWhenShown(queryKey);

  const { data, error, isFetchNextPageError, isFetchingNextPage, fetchNextPage } = query;
  const sessions = useMemo(() => sessionsOfPages(data), [data]);
  let message: string | null = null;
  if (error)
    message =
      isFetchNextPageError && error instanceof ApiError && !error.unreachable
        ? `could not load more sessions: ${error.message}`
        : error.message;
  // Not read yet in the browser: what the server could not read.
  else if (!data) message = initial.error;
  return {
    sessions,
    hasMore: hasMorePages(data),
    loadMore: () => void fetchNextPage(),
    loadingMore: isFetchingNextPage,
    error: message,
  };
}
