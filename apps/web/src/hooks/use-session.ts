"use client";

import { useQuery } from "@tanstack/react-query";
import type { SessionWithEventsJson } from "@pulse/core";
import { ApiError, fetchSession } from "@/lib/browser-api";
import { queryKeys } from "./query-keys";
import { useRefetchWhenShown } from "./use-refetch-when-shown";

/** One session with its newest events, from the server's render; LiveCache keeps it current. */
export function useSession(initial: SessionWithEventsJson): { session: SessionWithEventsJson; error: string | null } {
  const queryKey = queryKeys.detail(initial.id);
  const query = useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchSession(initial.id, signal),
    initialData: initial,
    staleTime: Infinity,
  });
  useRefetchWhenShown(queryKey);
  const { error } = query;
  return {
    session: query.data,
    error: error
      ? error instanceof ApiError && error.status === 404
        ? "this session no longer exists"
        : error.message
      : null,
  };
}
