// Subpaths that load neither BullMQ nor zod: the dashboard only subscribes.
import { createSubscriberConnection } from "@pulse/queues/connections";
import { sessionsChannel } from "@pulse/queues/names";
import type { Redis } from "ioredis";
import { webEnv } from "./env";

/** What a stream listener hears: a session change (raw JSON as published), or the feed going up or down. */
export interface FeedListener {
  session(json: string): void;
  /** `up` after every (re)subscription: whatever was published while down is lost, so clients resync. */
  status(state: "up" | "down", detail?: string): void;
  /** The server is stopping: the stream must end now (graceful-shutdown.ts). */
  end(): void;
}

/**
 * One Redis subscription per server process, shared by every open dashboard tab: the channel is
 * subscribed while at least one tab listens. ioredis reconnects and resubscribes by itself; each
 * time it does, listeners hear `up` again and refetch what they may have missed.
 */
class SessionFeed {
  private redis: Redis | null = null;
  private readonly listeners = new Set<FeedListener>();
  private state: "up" | "down" | "unknown" = "unknown";
  private detail: string | undefined;
  private closing = false;

  /** Whether the server is stopping: no new stream may start. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Ends every stream, and refuses new ones: the server is stopping. */
  close(): void {
    this.closing = true;
    for (const l of [...this.listeners]) l.end();
  }

  add(listener: FeedListener): () => void {
    this.listeners.add(listener);
    if (!this.redis) this.connect();
    else if (this.state !== "unknown") listener.status(this.state, this.detail);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private connect(): void {
    const { REDIS_URL, PULSE_REDIS_PREFIX } = webEnv();
    const channel = sessionsChannel(PULSE_REDIS_PREFIX);
    const redis = createSubscriberConnection(REDIS_URL, { lazyConnect: true });
    this.redis = redis;
    redis.on("message", (from: string, message: string) => {
      if (from === channel) for (const l of this.listeners) l.session(message);
    });
    // "ready" fires after every (re)connect, once ioredis has resubscribed.
    redis.on("ready", () => {
      redis.subscribe(channel).then(
        () => this.setState("up"),
        (err: Error) => this.setState("down", `cannot subscribe to ${channel}: ${err.message}`),
      );
    });
    redis.on("error", (err: Error) => this.setState("down", `Redis: ${err.message}`));
    redis.on("close", () => this.setState("down", "Redis connection closed"));
    redis.connect().catch((err: Error) => this.setState("down", `Redis: ${err.message}`));
  }

  /** Tells listeners only about changes: a Redis outage raises an error on every retry. */
  private setState(state: "up" | "down", detail?: string): void {
    if (state === this.state) return;
    this.state = state;
    this.detail = detail;
    for (const l of this.listeners) l.status(state, detail);
  }

  private disconnect(): void {
    const redis = this.redis;
    this.redis = null;
    this.state = "unknown";
    redis?.removeAllListeners();
    redis?.on("error", () => {});
    redis?.quit().catch(() => redis.disconnect());
  }
}

// One per process, even if Next loads this module from more than one bundle.
const globalKey = Symbol.for("pulse.web.sessionFeed");
const holder = globalThis as unknown as Record<symbol, SessionFeed | undefined>;

export function sessionFeed(): SessionFeed {
  return (holder[globalKey] ??= new SessionFeed());
}
