import { normalizedEventSchema } from "@pulse/core";
import { type Job, type JobsOptions, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { JOB_NAMES, QUEUE_NAMES, type QueueName } from "./names";

/** A job: where it goes, what it is called, the shape of its payload and how it is retried. */
export interface JobDefinition<Schema extends z.ZodType> {
  queue: QueueName;
  name: string;
  schema: Schema;
  options: JobsOptions;
}

/** Largest number of events in one apply-events job; ingest splits bigger batches. */
export const MAX_EVENTS_PER_JOB = 500;

/**
 * A batch of normalised events. Enqueued by ingest, applied by the events worker in one transaction.
 * Retried with a capped backoff for days, so a Postgres outage delays events but never drops them.
 */
export const applyEventsJob = {
  queue: QUEUE_NAMES.events,
  name: JOB_NAMES.applyEvents,
  schema: z.object({ events: z.array(normalizedEventSchema).min(1).max(MAX_EVENTS_PER_JOB) }),
  options: {
    attempts: 10_000,
    backoff: { type: "capped-exponential" },
    removeOnComplete: { count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
} satisfies JobDefinition<z.ZodType>;
export type ApplyEventsPayload = z.infer<typeof applyEventsJob.schema>;

/** One sweep of stale sessions. Cheap and repeated, so never retried: the next tick is the retry. */
export const reapStaleJob = {
  queue: QUEUE_NAMES.reaper,
  name: JOB_NAMES.reapStale,
  schema: z.object({ reason: z.enum(["schedule", "boot"]).default("schedule") }),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
} satisfies JobDefinition<z.ZodType>;
export type ReapStalePayload = z.infer<typeof reapStaleJob.schema>;

/**
 * One pass of retention: ends sessions' data older than RETENTION_DAYS, a bounded number of sessions
 * at a time. Never retried: the next hour is the retry (a full pass queues the next at once).
 */
export const pruneRetentionJob = {
  queue: QUEUE_NAMES.maintenance,
  name: JOB_NAMES.pruneRetention,
  schema: z.object({ reason: z.enum(["schedule", "boot", "continue"]).default("schedule") }),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
} satisfies JobDefinition<z.ZodType>;

/**
 * One pass of the notification sweep: finds waits that have lasted their channel's settle time (and
 * notified waits that ended, and long waits), records one delivery row per (channel, session, wait
 * start, type) and queues it. Bounded per tick; never retried: the next second is the retry.
 */
export const notifySweepJob = {
  queue: QUEUE_NAMES.notifications,
  name: JOB_NAMES.notifySweep,
  schema: z.object({ reason: z.enum(["schedule", "boot", "continue"]).default("schedule") }),
  options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
} satisfies JobDefinition<z.ZodType>;

/**
 * One notification to one channel: its delivery row says what to send. The job id is the row's id,
 * so queueing it twice queues it once; the row's claim makes a retry after a killed worker, or a
 * second worker, send it at most once more only when the first never finished (docs/notifications.md).
 * Retried with exponential backoff (1 s, 2 s, 4 s … 8 tries, about 4 minutes), then failed: the channel shows failing.
 */
export const deliverNotificationJob = {
  queue: QUEUE_NAMES.notifications,
  name: JOB_NAMES.deliverNotification,
  schema: z.object({ delivery_id: z.string().min(1).max(200) }),
  options: {
    attempts: 8,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
} satisfies JobDefinition<z.ZodType>;
export type DeliverNotificationPayload = z.infer<typeof deliverNotificationJob.schema>;

/** Backoff for "capped-exponential": 0.5 s, 1 s, 2 s … then every 30 s. */
export function cappedExponentialBackoff(attemptsMade: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, attemptsMade - 1));
}

/**
 * Validates a job's payload in the worker (it was validated at ingest too). A payload that does not
 * parse can never succeed, so it fails with UnrecoverableError instead of being retried for days.
 */
export function parseJobData<Schema extends z.ZodType>(
  definition: JobDefinition<Schema>,
  job: Pick<Job, "data" | "id">,
): z.infer<Schema> {
  const parsed = definition.schema.safeParse(job.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnrecoverableError(
      `job ${job.id} (${definition.name}) has an invalid payload: ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
