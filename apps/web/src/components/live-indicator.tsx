"use client";

import { useLiveState } from "./live-provider";

const TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  "feed-down": "Live updates paused (Redis unreachable)",
} as const;

/** Whether what is on screen is current: the stream's state, in words and colour. */
export function LiveIndicator() {
  const state = useLiveState();
  return (
    <span className={`live live-${state}`} role="status" data-live-state={state}>
      <span className="live-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
