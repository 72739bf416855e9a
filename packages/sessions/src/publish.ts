import { type SessionState, toSessionJson } from "@pulse/core";
import { appendSessionChanges } from "@pulse/queues/session-changes";
import type { Redis } from "ioredis";

/**
 * Appends changed sessions (their Session JSON) to the session-change stream, in one pipeline: the
 * one source of the dashboard's live updates and of `GET /v1/stream`.
 */
export async function publishSessions(redis: Redis, changesKey: string, sessions: SessionState[]): Promise<void> {
  await appendSessionChanges(
    redis,
    changesKey,
    sessions.map((session) => JSON.stringify(toSessionJson(session))),
  );
}
