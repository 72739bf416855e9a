"use client";

import { hashKey, type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useLiveState } from "@/components/live-provider";

/**
 * Refetches a server-rendered query when it is shown again under a new key (new filters), or first
 * shown while the stream is already live (a page reached by a link): changes published between the
 * server's render and now went to no cache. On a fresh load the stream's first `ready` does it.
 */
export function useRefetchWhenShown(queryKey: QueryKey): void {
  const client = useQueryClient();
  const live = useLiveState();
  const liveRef = useRef(live);
  const first = useRef(true);
  const hash = hashKey(queryKey);
  const keyRef = useRef(queryKey);
  // The latest values, for the effect below that runs only when the key changes. Written in an
  // effect (declared first, so it runs first), never during render.
  useEffect(() => {
    liveRef.current = live;
    keyRef.current = queryKey;
  });
  useEffect(() => {
    const wasFirst = first.current;
    first.current = false;
    if (wasFirst && liveRef.current !== "live") return;
    // A fetch that started now (a key with no data yet) already reads after the server's render.
    if (client.getQueryCache().find({ queryKey: keyRef.current, exact: true })?.state.fetchStatus !== "idle") return;
    void client.refetchQueries({ queryKey: keyRef.current, exact: true });
  }, [client, hash]);
}
