"use client";

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { SessionJson, SessionMessageJson } from "@pulse/core";
import { HEARTBEAT_MS } from "@/lib/sse";

/** connecting: first connect; live: subscribed; reconnecting: the stream dropped; feed-down: Redis is unreachable. */
export type LiveState = "connecting" | "live" | "reconnecting" | "feed-down";

export interface LiveHandlers {
  /** A session changed. */
  onSession?(session: SessionJson): void;
  /** The stream is (again) subscribed: refetch, since changes may have been missed until now. */
  onResync?(): void;
}

interface LiveContext {
  state: LiveState;
  /** Adds handlers; when the stream is already live, they get a resync at once (a page mounted later). */
  subscribe(handlers: LiveHandlers): () => void;
}

const Live = createContext<LiveContext | null>(null);

/** A connection silent for longer than this is dead even if the socket did not say so. */
const SILENCE_LIMIT_MS = 2 * HEARTBEAT_MS + 5_000;
const MAX_BACKOFF_MS = 10_000;

function parseMessage(data: string): SessionJson | null {
  try {
    const message = JSON.parse(data) as Partial<SessionMessageJson>;
    const session = message?.session;
    return message?.type === "session" &&
      session &&
      typeof session.id === "string" &&
      typeof session.status === "string"
      ? session
      : null;
  } catch {
    return null;
  }
}

/**
 * One EventSource per tab, shared by whatever page is shown. It reconnects by itself: the browser
 * retries a dropped stream, this retries a refused one (with backoff) and replaces a silent one.
 * Every `ready` from the server is passed on as a resync, so pages refetch after each reconnect.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [state, setLiveState] = useState<LiveState>("connecting");
  const stateRef = useRef<LiveState>("connecting");
  const handlers = useRef(new Set<LiveHandlers>());
  const setState = (next: LiveState) => {
    stateRef.current = next;
    setLiveState(next);
  };

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let lastHeard = Date.now();
    let stopped = false;

    const connect = () => {
      source?.close();
      lastHeard = Date.now();
      const es = new EventSource("/api/stream");
      source = es;
      const heard = () => {
        lastHeard = Date.now();
      };
      es.addEventListener("ready", () => {
        heard();
        failures = 0;
        setState("live");
        for (const h of handlers.current) h.onResync?.();
      });
      es.addEventListener("session", (event) => {
        heard();
        const session = parseMessage((event as MessageEvent<string>).data);
        if (session) for (const h of handlers.current) h.onSession?.(session);
      });
      es.addEventListener("heartbeat", heard);
      es.addEventListener("feed-down", () => {
        heard();
        setState("feed-down");
      });
      es.onerror = () => {
        if (stopped || source !== es) return;
        setState("reconnecting");
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (e.g. an error status).
        if (es.readyState === EventSource.CLOSED) scheduleReconnect();
      };
    };

    const scheduleReconnect = () => {
      clearTimeout(retryTimer);
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++);
      retryTimer = setTimeout(() => !stopped && connect(), delay);
    };

    const watchdog = setInterval(() => {
      if (Date.now() - lastHeard > SILENCE_LIMIT_MS) {
        setState("reconnecting");
        connect();
      }
    }, 5_000);

    connect();
    return () => {
      stopped = true;
      clearInterval(watchdog);
      clearTimeout(retryTimer);
      source?.close();
    };
  }, []);

  const subscribe = useCallback((h: LiveHandlers) => {
    handlers.current.add(h);
    if (stateRef.current === "live") h.onResync?.();
    return () => {
      handlers.current.delete(h);
    };
  }, []);
  const value = useMemo<LiveContext>(() => ({ state, subscribe }), [state, subscribe]);
  return <Live.Provider value={value}>{children}</Live.Provider>;
}

/** Subscribes the calling component to live changes; the latest handlers are always the ones called. */
export function useLive(handlers: LiveHandlers): LiveState {
  const live = useContext(Live);
  if (!live) throw new Error("useLive must be used inside <LiveProvider>");
  const latest = useRef(handlers);
  // Written after each render (this effect is declared before the subscription, so it runs first),
  // never during one.
  useEffect(() => {
    latest.current = handlers;
  });
  const { subscribe } = live;
  useEffect(
    () =>
      subscribe({
        onSession: (s) => latest.current.onSession?.(s),
        onResync: () => latest.current.onResync?.(),
      }),
    [subscribe],
  );
  return live.state;
}

export function useLiveState(): LiveState {
  return useContext(Live)?.state ?? "connecting";
}
