"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { LiveCache } from "@/hooks/live-cache";
import { LiveCacheContext } from "@/hooks/live-cache-context";
import { makeQueryClient } from "@/hooks/query-client";
import { useLive } from "./live-provider";

/**
 * The tab's client cache, fed by the live stream: inside <LiveProvider>, around every page. One
 * cache per tab in the browser; on the server one per request (a render never shares data).
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  const [liveCache] = useState(() => {
    const cache = new LiveCache(client);
    // Watching fetches must start before the pages' first effects fetch (children's effects run
    // first), so not in an effect. Only in the browser; attach() is idempotent.
    if (typeof window !== "undefined") cache.attach();
    return cache;
  });
  useLive({
    onSession: (session) => liveCache.applyChange(session),
    onResync: () => liveCache.resync(),
  });
  return (
    <QueryClientProvider client={client}>
      <LiveCacheContext.Provider value={liveCache}>{children}</LiveCacheContext.Provider>
    </QueryClientProvider>
  );
}
