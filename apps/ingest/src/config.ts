import { logLevel, parseEnv, positiveInt, staleTimeoutMinutes } from "@pulse/core";
import { databaseEnv } from "@pulse/db";
import { redisEnv } from "@pulse/queues";
import { z } from "zod";

const schema = z.object({
  ...databaseEnv,
  ...redisEnv,
  HOST: z.string().min(1).default("127.0.0.1"),
  INGEST_PORT: positiveInt(6820).refine((p) => p < 65536, { error: "must be a port number (1–65535)" }),
  /** When set, every /v1 route (and the queue board) needs `Authorization: Bearer <token>`. */
  PULSE_TOKEN: z.string().min(8, { error: "must be at least 8 characters" }).optional(),
  /** Read here only to draw the timeline as the reaper decides (a silent session counts as ended). */
  SESSION_STALE_TIMEOUT_MINUTES: staleTimeoutMinutes,
  LOG_LEVEL: logLevel,
});

export type IngestConfig = z.infer<typeof schema>;

export function loadIngestConfig(env: Record<string, string | undefined> = process.env): IngestConfig {
  return parseEnv(schema, env);
}
