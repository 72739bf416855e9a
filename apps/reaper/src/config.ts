import { logLevel, parseEnv, positiveInt, staleTimeoutMinutes } from "@pulse/core";
import { databaseEnv } from "@pulse/db";
import { redisEnv } from "@pulse/queues";
import { z } from "zod";

const schema = z.object({
  ...databaseEnv,
  ...redisEnv,
  SESSION_STALE_TIMEOUT_MINUTES: staleTimeoutMinutes,
  REAPER_INTERVAL_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .positive({ error: "must be greater than 0" })
    .default(30),
  /** Most sessions one sweep ends; a full sweep queues the next at once. */
  REAPER_BATCH_SIZE: positiveInt(50_000),
  /** Event batches applied at once by this process. */
  EVENTS_CONCURRENCY: positiveInt(2),
  /**
   * The process's niceness (0–19). Ingest answers agents while they wait; applying events can lag a
   * few milliseconds: on a shared machine the workers yield the CPU to ingest first.
   */
  REAPER_NICE: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be between 0 and 19" })
    .max(19, { error: "must be between 0 and 19" })
    .default(10),
  /** Ended sessions (and their events) older than this many days are deleted, hourly; 0 keeps everything. */
  RETENTION_DAYS: z.coerce
    .number({ error: "must be a number of days" })
    .min(0, { error: "must be 0 (keep everything) or more" })
    .default(90),
  /**
   * How long a worker's hold on a job lasts without renewal (renewed every half of it). A worker that
   * dies or freezes holding jobs loses them to another worker (or to itself, restarted) after this.
   */
  JOB_LOCK_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .min(0.5, { error: "must be at least 0.5" })
    .max(600, { error: "must be at most 600" })
    .default(30),
  /** The dashboard's address: notifications link to `<it>/sessions/<id>`. */
  PULSE_DASHBOARD_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("http://127.0.0.1:6821"),
  /** Web Push's VAPID subject (RFC 8292): a mailto: or https: URL a push service can reach the operator at. */
  PULSE_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, { error: "must be a mailto: or https:// URL" })
    .default("mailto:pulse@localhost"),
  LOG_LEVEL: logLevel,
});

export type ReaperConfig = z.infer<typeof schema>;

export function loadReaperConfig(env: Record<string, string | undefined> = process.env): ReaperConfig {
  return parseEnv(schema, env);
}
