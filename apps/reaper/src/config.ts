import { logLevel, parseEnv, positiveInt, staleTimeoutMinutes } from "@pulse/core";
import { databaseEnv } from "@pulse/db";
import { redisEnv } from "@pulse/queues";
import { z } from "zod";

const schema = z.object({
  ...databaseEnv,
  ...redisEnv,
  SESSION_STALE_TIMEOUT_MINUTES: staleTimeoutMinutes,
  REAPER_INTERVAL_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).positive({ error: "must be greater than 0" }).default(30),
  /** Most sessions one sweep ends; a full sweep queues the next at once. */
  REAPER_BATCH_SIZE: positiveInt(20_000),
  /** Event batches applied at once by this process. */
  EVENTS_CONCURRENCY: positiveInt(2),
  LOG_LEVEL: logLevel,
});

export type ReaperConfig = z.infer<typeof schema>;

export function loadReaperConfig(env: Record<string, string | undefined> = process.env): ReaperConfig {
  return parseEnv(schema, env);
}
