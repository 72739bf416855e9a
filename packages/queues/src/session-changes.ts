/**
 * The session-change stream (`sessionChangesKey(prefix)`): every change to a session, appended by the
 * store after each write commits, read by the dashboard's live stream and `GET /v1/stream`. A Redis
 * stream rather than pub/sub because it keeps a history: a client that reconnects resumes after the
 * last entry it saw (its id is the SSE event id). Loads only ioredis, so the dashboard can import it
 * as `@pulse/queues/session-changes` without BullMQ or zod.
 */
import { Redis, type RedisOptions } from "ioredis";
import { SESSION_CHANGES_MAX } from "./names";

/** One entry: its stream id and the Session JSON as the store wrote it (text, sent on as it is). */
export interface SessionChange {
  id: string;
  session: string;
}

/** The entry field holding the Session JSON. */
const FIELD = "session";
/** An id before every entry: "after this" means "from the start". */
export const STREAM_START = "0-0";

/** Appends changes (Session JSON texts), in one pipeline, trimming the stream to about SESSION_CHANGES_MAX. */
export async function appendSessionChanges(redis: Redis, key: string, sessions: string[]): Promise<void> {
  if (sessions.length === 0) return;
  const pipeline = redis.pipeline();
  // "~": Redis trims whole nodes, which is cheap; the stream keeps at least SESSION_CHANGES_MAX.
  for (const json of sessions) pipeline.xadd(key, "MAXLEN", "~", SESSION_CHANGES_MAX, "*", FIELD, json);
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}

type RawEntry = [id: string, fields: string[]];

function toChange([id, fields]: RawEntry): SessionChange | null {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === FIELD) return { id, session: fields[i + 1] };
  return null;
}

function toChanges(entries: RawEntry[] | null | undefined): SessionChange[] {
  return (entries ?? []).map(toChange).filter((c): c is SessionChange => c !== null);
}

/** `XREAD` → its entries (one stream asked for). */
const readReply = (reply: unknown): RawEntry[] => (reply as [string, RawEntry[]][] | null)?.[0]?.[1] ?? [];

/** An entry id as Redis writes them (`<ms>-<seq>`), checked before it reaches a command. */
export const isStreamId = (id: string): boolean => /^\d{1,20}-\d{1,20}$/.test(id);

/** Compares two entry ids (`<ms>-<seq>`) as Redis orders them. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

export interface ChangesAfter {
  /** Up to `count` entries after the id, oldest first. */
  changes: SessionChange[];
  /**
   * The id is no longer in the stream (trimmed past it, or Redis lost the stream): entries after it
   * may be gone, so the reader must start over (refetch). Never true for STREAM_START.
   */
  gone: boolean;
}

/**
 * Up to `count` entries after `afterId`, and whether `afterId` itself is still there, in one
 * MULTI: the stream is trimmed from its start, so while the id is there nothing after it was lost.
 */
export async function readChangesAfter(redis: Redis, key: string, afterId: string, count = 500): Promise<ChangesAfter> {
  const results = await redis
    .multi()
    .xrange(key, afterId, afterId)
    .xread("COUNT", count, "STREAMS", key, afterId)
    .exec();
  if (!results) throw new Error("the session-change read was aborted");
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  const [[, self], [, after]] = results as [[null, RawEntry[]], [null, unknown]];
  return { changes: toChanges(readReply(after)), gone: afterId !== STREAM_START && self.length === 0 };
}

/** The newest entry's id, or STREAM_START when the stream is empty. */
export async function lastChangeId(redis: Redis, key: string): Promise<string> {
  const newest = (await redis.xrevrange(key, "+", "-", "COUNT", 1)) as RawEntry[];
  return newest[0]?.[0] ?? STREAM_START;
}

/** What a listener of the shared reader hears. */
export interface ChangeListener {
  /** A change, in stream order; each entry once. */
  change(change: SessionChange): void;
  /**
   * `up`: the reader is reading; from now on every entry after `position` reaches `change`. Heard
   * on joining a reader that is up, and after every recovery. `gap`: entries since the last `up`
   * may be lost (Redis lost the stream, or trimmed it past the reader while it was away), so
   * whoever shows sessions refetches. `down`: Redis is unreachable; changes wait until the next `up`.
   */
  status(state: "up" | "down", info: { position: string; gap: boolean; detail?: string }): void;
}

/** How long one `XREAD BLOCK` waits before it asks again (it returns at once when an entry arrives). */
const BLOCK_MS = 5_000;
const BATCH = 1_000;
const RETRY_MS = 1_000;

/**
 * One blocking `XREAD` connection per process, shared by every listener (each dashboard tab, each
 * `/v1/stream` client): connected while at least one listens. It reads from the newest entry at
 * start, then on from the last entry it handed out, so a Redis outage loses nothing that Redis kept.
 */
export class SessionChangeReader {
  private readonly listeners = new Set<ChangeListener>();
  private redis: Redis | null = null;
  private state: "up" | "down" | "unknown" = "unknown";
  private detail: string | undefined;
  private position = STREAM_START;
  /** Bumped at each stop: a loop from an earlier start ends. */
  private generation = 0;

  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly options: RedisOptions = {},
  ) {}

  /** Adds a listener; it hears `up` at once when the reader is up. Returns its removal. */
  add(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    if (!this.redis) this.start();
    else if (this.state === "up") listener.status("up", { position: this.position, gap: false });
    else if (this.state === "down")
      listener.status("down", { position: this.position, gap: false, detail: this.detail });
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Drops every listener and the connection. */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    const generation = ++this.generation;
    // Fails fast (no offline queue, no retries): the loop sees an outage as an error and says `down`,
    // while ioredis reconnects in the background.
    const redis = new Redis(this.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, ...this.options });
    this.redis = redis;
    redis.on("error", (err: Error) => {
      if (generation === this.generation) this.setState("down", false, `Redis: ${err.message}`);
    });
    void this.loop(redis, generation);
  }

  private stop(): void {
    this.generation++;
    const redis = this.redis;
    this.redis = null;
    this.state = "unknown";
    this.position = STREAM_START;
    redis?.disconnect();
  }

  private async loop(redis: Redis, generation: number): Promise<void> {
    const live = () => generation === this.generation;
    let started = false;
    while (live()) {
      try {
        // Connecting (or reconnecting: "down" was said by the error handler): a command now would fail.
        if (redis.status !== "ready") await waitReady(redis, BLOCK_MS);
        if (!live()) return;
        if (!started) {
          const newest = await lastChangeId(redis, this.key);
          // Left while the answer was on its way (the last listener went): the state and the
          // position are the next connection's now. Saying "up" here made its own "up" no change.
          if (!live()) return;
          this.position = newest;
          started = true;
          this.setState("up", false);
        }
        // What arrived (and whether the position survived: checked in the same MULTI as the read).
        const after = await readChangesAfter(redis, this.key, this.position, BATCH);
        if (!live()) return;
        if (after.gone) {
          // Entries after the position may be lost: go on from the newest, and say so.
          const newest = await lastChangeId(redis, this.key);
          if (!live()) return;
          this.position = newest;
          this.setState("up", true);
          continue;
        }
        this.setState("up", false);
        for (const change of after.changes) {
          this.position = change.id;
          for (const l of [...this.listeners]) l.change(change);
        }
        // Caught up: block until an entry arrives. Its answer only wakes the loop, whose next read
        // takes the entries with the check above (a blocking read cannot be part of a MULTI).
        if (after.changes.length === 0)
          await redis.xread("COUNT", 1, "BLOCK", BLOCK_MS, "STREAMS", this.key, this.position);
      } catch (err) {
        if (!live()) return;
        this.setState("down", false, `Redis: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  /** Listeners hear changes of state only (an outage raises an error on every retry), and every gap. */
  private setState(state: "up" | "down", gap: boolean, detail?: string): void {
    if (state === this.state && !gap) return;
    this.state = state;
    this.detail = detail;
    for (const l of [...this.listeners]) l.status(state, { position: this.position, gap, detail });
  }
}

function waitReady(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs).unref();
    redis.once("ready", done);
  });
}
