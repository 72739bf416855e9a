/**
 * Every queue, job and Redis key name Pulse uses. Producers and workers import them from here; this
 * file imports nothing, so the dashboard takes them as `@pulse/queues/names` without loading BullMQ
 * or zod (`@pulse/queues/connections` likewise loads only ioredis).
 */
export const QUEUE_NAMES = {
  /** Agent events waiting to be applied to Postgres. */
  events: "events",
  /** The stale-session sweep. */
  reaper: "reaper",
  /** Housekeeping: pruning what is older than RETENTION_DAYS. */
  maintenance: "maintenance",
  /** Notifications: the sweep that finds waits to notify, and each delivery to a channel. */
  notifications: "notifications",
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const JOB_NAMES = {
  applyEvents: "apply-events",
  reapStale: "reap-stale",
  pruneRetention: "prune-retention",
  notifySweep: "notify-sweep",
  deliverNotification: "deliver-notification",
} as const;

/** Id of the job scheduler that looks for waits to notify every second. */
export const NOTIFY_SWEEP_SCHEDULER_ID = "notify-sweep-every-second";

/** Id of the job scheduler that runs the sweep every REAPER_INTERVAL_SECONDS. */
export const REAP_STALE_SCHEDULER_ID = "reap-stale-every-interval";

/** Id of the job scheduler that prunes ended sessions older than RETENTION_DAYS, hourly. */
export const PRUNE_RETENTION_SCHEDULER_ID = "prune-retention-hourly";

/** Prefix of every Redis key and channel Pulse owns (BullMQ's own default is "bull"). */
export const DEFAULT_REDIS_PREFIX = "pulse";

/**
 * Redis stream of every session change (`XADD`, trimmed to about SESSION_CHANGES_MAX entries): the
 * one source of the dashboard's live updates and of `GET /v1/stream`, whose entry ids are the
 * stream's event ids, so a client resumes with Last-Event-ID.
 */
export function sessionChangesKey(prefix: string = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}:session-changes`;
}
export const SESSION_CHANGES_MAX = 10_000;

/** Redis hash of counters other processes read for `GET /metrics` (reaper sweeps and ends, deliveries). */
export function metricsKey(prefix: string = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}:metrics`;
}

/**
 * Fields of the metricsKey hash, each a counter (HINCRBY) summed over every process that writes it.
 * `reaperSweepsSkipped` is a prefix: the reason a sweep judged nothing follows it (`backlog`, …).
 */
export const METRICS_FIELDS = {
  reaperSweeps: "reaper:sweeps",
  reaperSweepsSkipped: "reaper:sweeps-skipped:",
  reaperEndedStale: "reaper:ended-stale",
} as const;

/**
 * Redis key holding since when (epoch ms) some ingest has been up without a break: each ingest
 * refreshes it every few seconds, and it expires soon after the last one stops (lifecycle rule 9).
 */
export function ingestUpSinceKey(prefix: string = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}:ingest:up-since`;
}
