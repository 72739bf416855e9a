import { type SessionState, toSessionJson } from "@pulse/core";
import type { Redis } from "ioredis";

/** Announces changed sessions on the sessions channel, in one pipeline. */
export async function publishSessions(redis: Redis, channel: string, sessions: SessionState[]): Promise<void> {
  if (sessions.length === 0) return;
  const pipeline = redis.pipeline();
  for (const session of sessions)
    pipeline.publish(channel, JSON.stringify({ type: "session", session: toSessionJson(session) }));
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
