"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import type { SessionJson } from "@pulse/core";
import { refreshClock, useClockValue } from "@/components/clock";
import { fetchWaitingSessions } from "@/lib/browser-api";
import { inboxEntries, nextSettleAt } from "@/lib/inbox";
import { queryKeys } from "./query-keys";
import { useNotificationSettings } from "./use-notification-settings";

const RETRY_MS = 5_000;

/**
 * The "Needs you" inbox: every waiting session (its own query, whatever the list's filters and
 * pages; LiveCache writes changes into it), narrowed to waits on the user that have lasted the
 * settle time, oldest first. A wait joins when it reaches the settle time (a timer set for the next
 * one), a change is shown at once (the clock is read again), and a wait that ends leaves.
 * `enabled` false: nothing is fetched (a page that shows no inbox and notifies no one).
 */
export function useInbox(enabled = true): { entries: SessionJson[]; settleSeconds: number; error: string | null } {
  const { settleSeconds } = useNotificationSettings();
  const query = useQuery({
    queryKey: queryKeys.inbox,
    queryFn: ({ signal }) => fetchWaitingSessions(signal),
    enabled,
    staleTime: Infinity,
    refetchInterval: (q) => (q.state.status === "error" ? RETRY_MS : false),
  });
  const waiting = query.data;
  useEffect(() => {
    if (!waiting) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Shows what is due now, then sleeps until the next wait is due (again if a timer fires early).
    const showDue = () => {
      refreshClock();
      const at = nextSettleAt(waiting, Date.now(), settleSeconds);
      if (at !== null) timer = setTimeout(showDue, Math.max(0, at - Date.now()) + 1);
    };
    showDue();
    return () => clearTimeout(timer);
  }, [waiting, settleSeconds]);
  const shown = useClockValue((nowMs) =>
    JSON.stringify(waiting ? inboxEntries(waiting, nowMs, settleSeconds).map((s) => s.id) : []),
  );
  const entries = useMemo(() => {
    const ids = JSON.parse(shown) as string[];
    const byId = new Map((waiting ?? []).map((s) => [s.id, s]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }, [shown, waiting]);
  return { entries, settleSeconds, error: query.error?.message ?? null };
}
