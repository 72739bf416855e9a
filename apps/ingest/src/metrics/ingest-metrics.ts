import type { PrismaClient } from "@pulse/db";
import { metricsKey, QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { backendMetrics, type BackendReadings } from "./backend-metrics";
import { BoundedRead } from "./bounded-read";
import { readReaperCounts } from "./counters-reader";
import { httpCounters } from "./http-counters";
import { readNotifications } from "./notifications-reader";
import { readQueue } from "./queues-reader";
import { ENDED_WINDOW_MS, readEndedSince, readOpenSessions } from "./sessions-reader";

/**
 * Longest a scrape waits for any one read. The reads run side by side, so a scrape answers within
 * about this long even with Postgres and Redis both hanging (Prometheus' default timeout is 10 s).
 */
export const READ_TIMEOUT_MS = 2_000;

export interface IngestMetricsDeps {
  prisma: PrismaClient;
  /** The producer connection: fails at once while Redis is down (no offline queue). */
  redis: Redis;
  prefix: string;
  logger: Logger;
  now(): number;
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;

/**
 * Everything `GET /metrics` answers, on a registry of this ingest's own (tests run several in one
 * process). Counters of what this process answered live here; everything else is read from
 * Postgres and Redis at scrape time, each read bounded, and a failed read never fails the scrape.
 */
export function createIngestMetrics({ prisma, redis, prefix, logger, now }: IngestMetricsDeps) {
  const registry = new Registry();
  // Node's and the process' own (process_cpu_seconds_total, nodejs_heap_size_used_bytes, …), under
  // their usual names so stock Node.js dashboards work; `instance` tells the ingest processes apart.
  collectDefaultMetrics({ register: registry });
  const http = httpCounters(registry);
  const backends = backendMetrics(registry);
  const up = new Gauge({
    name: "pulse_scrape_up",
    help: "Whether this scrape could read a part (1) or not (0: its metrics are absent): sessions, notifications (Postgres), queues, reaper (Redis)",
    labelNames: ["part"],
    registers: [registry],
  });
  const duration = new Gauge({
    name: "pulse_scrape_duration_seconds",
    help: "How long this scrape's read of a part took",
    labelNames: ["part"],
    registers: [registry],
  });
  const errors = new Counter({
    name: "pulse_scrape_errors_total",
    help: "Reads of a part that failed or timed out, in this ingest process",
    labelNames: ["part"],
    registers: [registry],
  });

  // Queues of our own for reading: every queue Pulse has (the notifications one too), on the
  // producer connection, which they share rather than open.
  const queues = Object.values(QUEUE_NAMES).map((name) => {
    const queue = new Queue(name, { connection: redis, prefix });
    // The connection's outages are logged where it is made (app.ts); a scrape reports them as up 0.
    queue.on("error", () => {});
    return queue;
  });
  const reads = {
    sessions: new BoundedRead(async () => {
      const [open, ended] = await Promise.all([
        readOpenSessions(prisma),
        readEndedSince(prisma, now() - ENDED_WINDOW_MS),
      ]);
      return { open, ended };
    }, READ_TIMEOUT_MS),
    notifications: new BoundedRead(() => readNotifications(prisma), READ_TIMEOUT_MS),
    queues: new BoundedRead(() => Promise.all(queues.map(readQueue)), READ_TIMEOUT_MS),
    reaper: new BoundedRead(() => readReaperCounts(redis, metricsKey(prefix)), READ_TIMEOUT_MS),
  };
  for (const part of Object.keys(reads)) errors.inc({ part }, 0);

  const timed = async <T>(part: string, read: BoundedRead<T>): Promise<T | null> => {
    const started = performance.now();
    const result = await read.run();
    duration.set({ part }, (performance.now() - started) / 1000);
    up.set({ part }, result.ok ? 1 : 0);
    if (result.ok) return result.value;
    errors.inc({ part });
    logger.debug({ part, err: result.error }, "metrics: a part could not be read");
    return null;
  };

  async function render(): Promise<string> {
    const [sessions, notifications, queueReadings, reaper] = await Promise.all([
      timed("sessions", reads.sessions),
      timed("notifications", reads.notifications),
      timed("queues", reads.queues),
      timed("reaper", reads.reaper),
    ]);
    const readings: BackendReadings = {
      open: sessions?.open ?? null,
      ended: sessions?.ended ?? null,
      notifications,
      queues: queueReadings,
      reaper,
    };
    backends.fill(readings, now());
    return registry.metrics();
  }

  // Scrapes arriving together share one read and one text: fill() replaces the metrics whole, so
  // two interleaved would each see half of the other's.
  let scraping: Promise<string> | null = null;

  return {
    contentType: registry.contentType,
    /** Counts every answer by route and status (call before routes are added). */
    installResponseCounters: (fastify: FastifyInstance) => http.install(fastify),
    countAcceptedEvents: (n: number) => http.countAcceptedEvents(n),
    /** The text exposition of every metric; always resolves (a part that cannot be read is `pulse_scrape_up 0`). */
    scrape(): Promise<string> {
      scraping ??= render().finally(() => {
        scraping = null;
      });
      return scraping;
    },
    async close(): Promise<void> {
      await Promise.all(queues.map((q) => q.close().catch(() => {})));
    },
  };
}
