import type { NormalizedEvent, SessionState } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import type { Redis } from "ioredis";
import { type ApplyResult, applyEventBatch } from "./apply-events";
import { type CleanupOptions, cleanupSessions } from "./cleanup-sessions";
import { type CloseResult, closeSession } from "./close-session";
import { type PruneResult, pruneEndedSessions } from "./prune-ended";
import { publishSessions } from "./publish";
import { type ReapOptions, reapStaleSessions } from "./reap-stale";
import { loadSessions } from "./stale-sweep";

/** The part of a pino logger the store writes to. */
export interface StoreLogger {
  warn(fields: object, message: string): void;
}

export interface SessionStoreDeps {
  prisma: PrismaClient;
  /** A producer-style connection (fails fast): a lost notification must not stall a write's caller. */
  publisher: Redis;
  /** The session-change stream (`sessionChangesKey(prefix)` of @pulse/queues). */
  changesKey: string;
  logger: StoreLogger;
}

/** Reaped sessions are read back and announced this many at a time (a sweep may end 100,000). */
const ANNOUNCE_CHUNK = 5_000;

/**
 * Every write to sessions, each announcing what it changed on the session-change stream: callers
 * write, the store says so, in one place. The announcement follows the commit; the change is already
 * durable then, so a failed append is logged and never thrown (a caller retrying would write again,
 * and readers refetch whenever their stream comes back).
 */
export interface SessionStore {
  /** Applies a batch of events (applyEventBatch) and announces the sessions it changed. */
  applyEvents(events: NormalizedEvent[]): Promise<ApplyResult>;
  /** Rule 6: ends up to `limit` stale sessions (reapStaleSessions) and announces them. Returns their ids. */
  reapStale(options: ReapOptions): Promise<string[]>;
  /** A user's close (closeSession); announced when it changed the session. */
  close(id: string): Promise<CloseResult | null>;
  /** A user's clean-up (cleanupSessions); announced unless it is a dry run. */
  cleanup(options: CleanupOptions): Promise<SessionState[]>;
  /**
   * Retention (pruneEndedSessions). Announces nothing: the stream carries a session's state, and a
   * deleted session has none (it ended at least RETENTION_DAYS ago; a dashboard drops it on refetch).
   */
  pruneEnded(options: { endedBeforeMs: number; limit: number }): Promise<PruneResult>;
}

export function createSessionStore({ prisma, publisher, changesKey, logger }: SessionStoreDeps): SessionStore {
  const announce = async (write: string, sessions: SessionState[]): Promise<void> => {
    await publishSessions(publisher, changesKey, sessions).catch((err: Error) =>
      logger.warn({ err: err.message, write, sessions: sessions.length }, "could not publish session changes"),
    );
  };

  return {
    async applyEvents(events) {
      const result = await applyEventBatch(prisma, events);
      await announce("apply", result.sessions);
      return result;
    },
    async reapStale(options) {
      const ended = await reapStaleSessions(prisma, options);
      // After the sweep committed, in chunks: its row locks are not held while this runs.
      for (let i = 0; i < ended.length; i += ANNOUNCE_CHUNK)
        await announce("stale", await loadSessions(prisma, ended.slice(i, i + ANNOUNCE_CHUNK)));
      return ended;
    },
    async close(id) {
      const result = await closeSession(prisma, id);
      if (result?.changed) await announce("close", [result.session]);
      return result;
    },
    async cleanup(options) {
      const sessions = await cleanupSessions(prisma, options);
      if (!options.dryRun) await announce("cleanup", sessions);
      return sessions;
    },
    pruneEnded: (options) => pruneEndedSessions(prisma, options),
  };
}
