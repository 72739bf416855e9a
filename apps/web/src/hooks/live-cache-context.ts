"use client";

import { createContext, useContext } from "react";
import type { LiveCache } from "./live-cache";

export const LiveCacheContext = createContext<LiveCache | null>(null);

export function useLiveCache(): LiveCache {
  const liveCache = useContext(LiveCacheContext);
  if (!liveCache) throw new Error("useLiveCache must be used inside <QueryProvider>");
  return liveCache;
}
