import type { NormalizedEvent } from "@pulse/core";
import type { PrismaClient } from "@pulse/db";
import type { SessionStore } from "@pulse/sessions";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { IngestConfig } from "./config";
import type { IngestMetrics } from "./metrics/ingest-metrics";

/** Nest injection token for everything the routes share. */
export const INGEST_DEPS = Symbol("INGEST_DEPS");

export interface IngestDeps {
  config: IngestConfig;
  prisma: PrismaClient;
  /** Producer connection: fails fast when Redis is down. */
  redis: Redis;
  /** Every write to sessions (close, clean-up): the store announces each on the sessions channel. */
  store: SessionStore;
  eventsQueue: Queue;
  reaperQueue: Queue;
  /** Notification deliveries: the test route queues its deliveries here (producer connection). */
  notificationsQueue: Queue;
  /** Every queue Pulse owns, for the dead-letter view (`GET /v1/queues`). */
  queues: Queue[];
  /**
   * Puts events on the queue; resolves once they are in Redis, rejects with a 503 ApiError otherwise.
   * `bytes`: the request body's size, when the events came in one (sizes the queue jobs).
   */
  enqueue(events: NormalizedEvent[], bytes?: number): Promise<void>;
  logger: Logger;
  now(): number;
  /** What `GET /metrics` answers; counts this process' answers. */
  metrics: IngestMetrics;
}
