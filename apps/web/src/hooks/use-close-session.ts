"use client";

import { useMutation } from "@tanstack/react-query";
import { closeSession } from "@/lib/browser-api";
import { useLiveCache } from "./live-cache-context";

/** Ends an open session by hand; the answer is written into the cache like any live change. */
export function useCloseSession(id: string) {
  const liveCache = useLiveCache();
  return useMutation({
    mutationFn: () => closeSession(id),
    onSuccess: (closed) => liveCache.applyChange(closed),
  });
}
