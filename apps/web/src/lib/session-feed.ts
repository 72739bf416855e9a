// A subpath that loads neither BullMQ nor zod: the dashboard only reads.
import { sessionChangesKey } from "@pulse/queues/names";
import { SessionChangeReader } from "@pulse/queues/session-changes";
import { webEnv } from "./env";

/** What a stream listener hears: a session change (the message as the browser gets it), or the feed going up or down. */
export interface FeedListener {
  /** `{"type":"session","session":…}` */
  session(json: string): void;
  /**
   * `up` when the feed starts reading, after every outage, and after a recovery that may have lost
   * changes (Redis lost the stream, or trimmed it past the reader): clients refetch then.
   */
  status(state: "up" | "down", detail?: string): void;
  /** The server is stopping: the stream must end now (graceful-shutdown.ts). */
  end(): void;
}

/**
 * One reader of the session-change stream per server process (`SessionChangeReader`: one blocking
 * XREAD connection), shared by every open dashboard tab: connected while at least one tab listens.
 * The same stream feeds ingest's `GET /v1/stream`: one source.
 */
class SessionFeed {
  private reader: SessionChangeReader | null = null;
  private readonly listeners = new Set<FeedListener>();
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
    const { REDIS_URL, PULSE_REDIS_PREFIX } = webEnv();
    this.reader ??= new SessionChangeReader(REDIS_URL, sessionChangesKey(PULSE_REDIS_PREFIX));
    const remove = this.reader.add({
      change: (change) => listener.session(`{"type":"session","session":${change.session}}`),
      // Heard on each change of state and on every gap; the tab refetches at each `up`.
      status: (state, { detail }) => listener.status(state, detail),
    });
    return () => {
      this.listeners.delete(listener);
      remove();
    };
  }
}

// One per process, even if Next loads this module from more than one bundle.
const globalKey = Symbol.for("pulse.web.sessionFeed");
const holder = globalThis as unknown as Record<symbol, SessionFeed | undefined>;

export function sessionFeed(): SessionFeed {
  return (holder[globalKey] ??= new SessionFeed());
}
