"use client";

import { createContext, useContext, useSyncExternalStore } from "react";
import { formatAgo, formatDuration } from "@/lib/format";

/**
 * One shared one-second clock for every "12 s ago" and live duration on the page. Each cell reads
 * the clock through useSyncExternalStore and returns its formatted text, so a cell re-renders only
 * when its text changes and the list itself never re-renders on a tick.
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const clockNow = () => now;

/**
 * Reads the time again now rather than at the next tick, and tells every reader: for what must not
 * wait up to a second (a wait with no settle time joins the inbox as soon as it arrives).
 */
export function refreshClock(): void {
  now = Date.now();
  for (const l of listeners) l();
}

/** The server's "now" at render: the browser's first render uses it so hydration sees the same text. */
const ServerNow = createContext<number>(0);
export const ServerNowProvider = ServerNow.Provider;

function useClockText<T = string>(format: (nowMs: number) => T): T {
  const serverNow = useContext(ServerNow);
  return useSyncExternalStore(
    subscribe,
    () => format(clockNow()),
    () => format(serverNow),
  );
}

/**
 * A value derived from the clock (keep it a primitive, such as a joined list of ids): the component
 * re-renders only when it changes, not on every tick. Before hydration it reads the server's "now".
 */
export function useClockValue<T extends string | number | boolean>(select: (nowMs: number) => T): T {
  return useClockText(select);
}

/** "12 s ago", ticking. */
export function Ago({ iso }: { iso: string | null }) {
  const t = iso ? Date.parse(iso) : NaN;
  const text = useClockText((nowMs) => (Number.isNaN(t) ? "—" : formatAgo(nowMs - t)));
  return iso ? <time dateTime={iso}>{text}</time> : <>—</>;
}

/** "2 min 03 s": how long since `iso`, ticking (a wait that goes on). */
export function Since({ iso }: { iso: string | null }) {
  const t = iso ? Date.parse(iso) : NaN;
  const text = useClockText((nowMs) => (Number.isNaN(t) ? "—" : formatDuration(nowMs - t)));
  return iso ? <time dateTime={iso}>{text}</time> : <>—</>;
}

/** A session's duration: fixed once ended, growing with the clock while open. */
export function LiveDuration({
  startedAt,
  durationMs,
  open,
}: {
  startedAt: string | null;
  durationMs: number | null;
  open: boolean;
}) {
  const start = startedAt ? Date.parse(startedAt) : NaN;
  const text = useClockText((nowMs) =>
    open && !Number.isNaN(start)
      ? formatDuration(Math.max(durationMs ?? 0, nowMs - start))
      : formatDuration(durationMs),
  );
  return <>{text}</>;
}

const hydratedSubscribe = () => () => {};

/** False during server render and hydration, true after: for text that depends on the browser (its time zone). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    hydratedSubscribe,
    () => true,
    () => false,
  );
}
