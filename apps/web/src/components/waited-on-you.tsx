"use client";

import type { SessionJson } from "@pulse/core";
import { formatDuration } from "@/lib/format";
import { waitStart } from "@/lib/inbox";
import { useClockValue } from "./clock";

/**
 * Time a session spent waiting on the user: its finished waits (`waited_ms`), plus the current wait
 * while it lasts (ticking). `empty` stands for none at all.
 */
export function WaitedOnYou({
  session,
  empty = "0 s",
}: {
  session: Pick<SessionJson, "status" | "waiting_reason" | "waiting_since" | "waited_ms">;
  empty?: string;
}) {
  const since = waitStart(session);
  const waited = session.waited_ms ?? 0;
  return useClockValue((nowMs) => {
    const ms = waited + (since === null ? 0 : Math.max(0, nowMs - since));
    return ms > 0 ? formatDuration(ms) : empty;
  });
}
