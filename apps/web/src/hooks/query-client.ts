import { QueryClient } from "@tanstack/react-query";

/**
 * The cache's defaults. The live stream is what keeps data current (live-cache.ts), so the
 * library's own refetch triggers are off: a focused window or a regained network proves nothing
 * new (the stream's `ready` resyncs after a reconnect). Errors show at once, in the banner, and the
 * queries that can fail retry on their own interval instead.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // A dashboard left in a background tab stays current, as a watch on agents should.
        refetchIntervalInBackground: true,
      },
      mutations: { retry: false },
    },
  });
}
