"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { NotificationSettingsJson, NotificationSettingsParams } from "@pulse/core/api";
import { fetchNotificationSettings, updateNotificationSettings } from "@/lib/browser-api";
import { DEFAULT_SETTLE_SECONDS } from "@/lib/inbox";
import { queryKeys } from "./query-keys";

/** Settings change only on the Settings page (this tab invalidates them) or elsewhere, rarely. */
const REFRESH_MS = 60_000;

/**
 * The global notification settings (settle time, quiet hours). Until read, or when ingest cannot
 * say, the settle time is the API's default, so the inbox never shows waits younger than that.
 */
export function useNotificationSettings(): {
  settings: NotificationSettingsJson | null;
  settleSeconds: number;
  error: string | null;
} {
  const query = useQuery({
    queryKey: queryKeys.notificationSettings,
    queryFn: ({ signal }) => fetchNotificationSettings(signal),
    staleTime: REFRESH_MS,
    refetchInterval: REFRESH_MS,
  });
  return {
    settings: query.data ?? null,
    settleSeconds: query.data?.settle_seconds ?? DEFAULT_SETTLE_SECONDS,
    error: query.error?.message ?? null,
  };
}

export function useUpdateNotificationSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationSettingsParams) => updateNotificationSettings(body),
    onSuccess: (settings) => client.setQueryData(queryKeys.notificationSettings, settings),
  });
}
