import type { ServerResponse } from "node:http";
import { Controller, Get, Inject, type OnModuleDestroy, Query, Req, Res } from "@nestjs/common";
import type { SessionJson } from "@pulse/core";
import { streamQuery } from "@pulse/core/api";
import {
  compareStreamIds,
  isStreamId,
  readChangesAfter,
  type SessionChange,
  SessionChangeReader,
  sessionChangesKey,
} from "@pulse/queues";
import type { FastifyReply, FastifyRequest } from "fastify";
import { unavailable } from "../http/api-error";
import { parseOr400 } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/** A comment line this often: proxies keep the connection open, clients notice a dead one. */
export const STREAM_HEARTBEAT_MS = 15_000;
/** How long a client waits before reconnecting after a drop (SSE `retry:`). */
const RETRY_MS = 1_000;
/** Entries read from the stream's history per round trip while catching up. */
const CATCH_UP_PAGE = 500;
/**
 * A client this far behind (bytes written and not yet taken by its socket) is cut off rather than
 * buffered without end: it reconnects with Last-Event-ID and reads the rest from the history.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

type Filter = { statuses?: string[]; project?: string; source?: string };

const matches = (filter: Filter, s: Pick<SessionJson, "status" | "project" | "source">) =>
  (!filter.statuses || filter.statuses.includes(s.status)) &&
  (!filter.project || s.project === filter.project) &&
  (!filter.source || s.source === filter.source);

/**
 * `GET /v1/stream`: session changes as server-sent events, read from the session-change stream (the
 * one source the dashboard reads too), through one shared blocking reader per ingest process.
 *
 * - `id: <stream entry id>`, `event: session`, `data: <Session JSON>`, in stream order.
 * - Filters (status, project, source): a change is sent when the session's new state matches. A
 *   change that does not match is sent once when it may take the session out of the filter (a
 *   client drops a session whose state does not match its filter): the session was sent matching on
 *   this connection, or nothing was sent of it yet and only its status is outside the filter (it
 *   may have matched before the client connected). Its next non-matching changes are not sent.
 * - `Last-Event-ID` (or `last_event_id`): the history after that id first, then live, each entry
 *   once: live entries arriving during the catch-up wait in a buffer and only those after the last
 *   one sent go out. An id the history no longer holds → `event: reset` (refetch), then live.
 * - `: ping` every 15 s. The raw reply is written (hijacked): Nest and Fastify send nothing else.
 */
@Controller("v1/stream")
export class StreamController implements OnModuleDestroy {
  private reader: SessionChangeReader | null = null;
  /** Ends each open stream: for shutdown. */
  private readonly open = new Set<() => void>();
  private closing = false;
  private readonly parsed = new WeakMap<SessionChange, SessionJson | null>();

  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Get()
  stream(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const q = parseOr400(streamQuery, query);
    if (this.closing) throw unavailable("ingest is stopping; reconnect shortly");
    const header = request.headers["last-event-id"];
    const resumeFrom = q.last_event_id ?? (typeof header === "string" && header.trim() !== "" ? header.trim() : null);
    const filter: Filter = { statuses: q.status, project: q.project || undefined, source: q.source || undefined };

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx and similar proxies would otherwise buffer the stream.
      "x-accel-buffering": "no",
    });
    // A HEAD (Fastify answers it with this GET handler) gets the headers only: a stream it never reads would stay open.
    if (request.method === "HEAD") {
      res.end();
      return;
    }
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.follow(res, filter, resumeFrom);
  }

  private follow(res: ServerResponse, filter: Filter, resumeFrom: string | null): void {
    const key = sessionChangesKey(this.deps.config.PULSE_REDIS_PREFIX);
    const reader = (this.reader ??= new SessionChangeReader(this.deps.config.REDIS_URL, key));
    /** Last membership the client was told of, per session: true = sent matching, false = sent (or known) out. */
    const told = new Map<string, boolean>();
    /** The newest entry handled (sent or skipped): nothing at or before it goes out again. */
    let last: string | null = null;
    /** Live entries heard while the history is being read. */
    let buffer: SessionChange[] | null = [];
    let started = false;
    let ended = false;

    let removeListener = () => {};
    const heartbeat = setInterval(() => write(": ping\n\n"), STREAM_HEARTBEAT_MS);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      removeListener();
      this.open.delete(end);
      res.end();
    };
    const write = (text: string) => {
      if (ended) return;
      res.write(text);
      if (res.writableLength > MAX_BUFFERED_BYTES) end();
    };
    const deliver = (change: SessionChange) => {
      if (last !== null && compareStreamIds(change.id, last) <= 0) return;
      last = change.id;
      const session = this.parse(change);
      if (!session) return; // not written by the store: nothing a client could use
      const inFilter = matches(filter, session);
      if (!inFilter) {
        // Sent once if it may be leaving the filter: it was sent matching, or nothing is known of it
        // on this connection and only its status keeps it out (projects and agents rarely change).
        const before = told.get(session.id);
        if (before === false) return;
        if (before === undefined && !matches({ ...filter, statuses: undefined }, session)) return;
      }
      told.set(session.id, inFilter);
      write(`id: ${change.id}\nevent: session\ndata: ${change.session}\n\n`);
    };
    const reset = (position: string, reason: string) => {
      told.clear();
      last = position;
      write(`id: ${position}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`);
    };
    const goLive = () => {
      const waiting = buffer ?? [];
      buffer = null;
      for (const change of waiting) deliver(change);
    };
    const catchUp = async (from: string, position: string) => {
      if (!isStreamId(from)) return reset(position, "Last-Event-ID is not an id of this stream");
      last = from;
      let cursor = from;
      for (;;) {
        const page = await readChangesAfter(this.deps.redis, key, cursor, CATCH_UP_PAGE);
        if (ended) return;
        if (page.gone) return reset(position, "the stream no longer holds Last-Event-ID (trimmed, or Redis restarted)");
        for (const change of page.changes) deliver(change);
        if (page.changes.length < CATCH_UP_PAGE) return;
        cursor = page.changes[page.changes.length - 1].id;
      }
    };

    removeListener = reader.add({
      change: (change) => (buffer ? buffer.push(change) : deliver(change)),
      status: (state, { position, gap }) => {
        if (state === "down") return write(": the session-change stream is unreachable; waiting\n\n");
        if (!started) {
          started = true;
          if (resumeFrom === null) {
            // Where this client is: a reconnect with this id misses nothing even before a first change.
            last = position;
            write(`id: ${position}\n\n`);
            return goLive();
          }
          catchUp(resumeFrom, position).then(goLive, () => end());
        } else if (gap) {
          // The reader itself lost entries (Redis lost the stream, or trimmed it past the reader).
          buffer = null;
          reset(position, "changes may have been lost while Redis was unavailable");
        }
      },
    });
    this.open.add(end);
    res.on("close", end);
    res.on("error", end);
  }

  /** Each entry parsed once, whatever the number of clients (the reader hands them all the same object). */
  private parse(change: SessionChange): SessionJson | null {
    let session = this.parsed.get(change);
    if (session === undefined) {
      try {
        session = JSON.parse(change.session) as SessionJson;
      } catch {
        session = null;
      }
      this.parsed.set(change, session);
    }
    return session;
  }

  /** Shutdown: every stream ends (clients reconnect to the next ingest), and no new one starts. */
  onModuleDestroy(): void {
    this.closing = true;
    for (const end of [...this.open]) end();
    this.reader?.close();
    this.reader = null;
  }
}
