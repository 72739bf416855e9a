"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ChannelCreateParams, ChannelJson } from "@pulse/core/api";
import { createChannel, deleteChannel, fetchChannels, testNotifications } from "@/lib/browser-api";
import { queryKeys } from "./query-keys";

/** A channel's status changes with deliveries made by the workers, which the stream does not carry. */
const REFRESH_MS = 15_000;

/** The notification channels with their newest delivery outcome (URLs masked by ingest). */
export function useChannels(): { channels: ChannelJson[] | null; error: string | null } {
  const query = useQuery({
    queryKey: queryKeys.channels,
    queryFn: ({ signal }) => fetchChannels(signal),
    staleTime: REFRESH_MS,
    refetchInterval: REFRESH_MS,
  });
  return { channels: query.data?.channels ?? null, error: query.error?.message ?? null };
}

export function useCreateChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelCreateParams) => createChannel(body),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.channels }),
  });
}

export function useDeleteChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteChannel(id),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.channels }),
  });
}

/** "Send test": each channel's result; the list is read again, since its outcomes changed. */
export function useTestNotifications() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (channel?: string) => testNotifications(channel),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.channels }),
  });
}
