import { createPrismaClient } from "@pulse/db";
import {
  createProducerConnection,
  createWorkerConnection,
  ingestUpSinceKey,
  isConnectionError,
  logConnectionOutages,
  metricsKey,
  NOTIFY_SWEEP_SCHEDULER_ID,
  notifySweepJob,
  PRUNE_RETENTION_SCHEDULER_ID,
  pruneRetentionJob,
  QUEUE_NAMES,
  REAP_STALE_SCHEDULER_ID,
  reapStaleJob,
  sessionChangesKey,
} from "@pulse/queues";
import { createSessionStore } from "@pulse/sessions";
import { Queue } from "bullmq";
import type { Logger } from "pino";
import type { ReaperConfig } from "./config";
import { eventsWorker } from "./workers/events.worker";
import { notificationsWorker } from "./workers/notifications.worker";
import { reaperWorker } from "./workers/reaper.worker";
import { retentionWorker } from "./workers/retention.worker";
import { registerWorkers } from "./workers/register";

export interface ReaperApp {
  /** Stops taking jobs, lets running ones finish, then closes Redis and Postgres. */
  stop(): Promise<void>;
}

export interface ReaperOptions {
  logger: Logger;
  /** The clock; tests pass their own. */
  now?: () => number;
}

export async function startReaper(config: ReaperConfig, { logger, now = Date.now }: ReaperOptions): Promise<ReaperApp> {
  const prefix = config.PULSE_REDIS_PREFIX;
  const prisma = createPrismaClient(config.DATABASE_URL, { maxConnections: config.EVENTS_CONCURRENCY + 2 });
  const connection = createWorkerConnection(config.REDIS_URL);
  // The store publishes session changes on it (and the reaper reads ingest's presence): fails fast.
  const publisher = createProducerConnection(config.REDIS_URL);
  // Once per state change: ioredis raises an error on every reconnection attempt while Redis is down.
  const redisOutage = logConnectionOutages(connection, logger, { role: "worker" });
  logConnectionOutages(publisher, logger, { role: "publisher" });
  const lockMs = Math.round(config.JOB_LOCK_SECONDS * 1000);
  const eventsQueue = new Queue(QUEUE_NAMES.events, { connection, prefix });
  const reaperQueue = new Queue(QUEUE_NAMES.reaper, { connection, prefix });
  const maintenanceQueue = new Queue(QUEUE_NAMES.maintenance, { connection, prefix });
  const notificationsQueue = new Queue(QUEUE_NAMES.notifications, { connection, prefix });
  for (const queue of [eventsQueue, reaperQueue, maintenanceQueue, notificationsQueue])
    queue.on("error", (err) =>
      connection.status === "ready" && !isConnectionError(err)
        ? logger.warn({ err: err.message, queue: queue.name }, "queue error")
        : redisOutage.down(err.message),
    );
  // Every write to sessions goes through the store, which announces it on the session-change stream.
  const store = createSessionStore({ prisma, publisher, changesKey: sessionChangesKey(prefix), logger });

  const workers = registerWorkers(
    [
      eventsWorker({ store, logger, concurrency: config.EVENTS_CONCURRENCY, lockMs }),
      reaperWorker({
        store,
        redis: publisher,
        logger,
        eventsQueue,
        reaperQueue,
        staleTimeoutMs: config.SESSION_STALE_TIMEOUT_MINUTES * 60_000,
        ingestUpSinceKey: ingestUpSinceKey(prefix),
        metricsKey: metricsKey(prefix),
        batchSize: config.REAPER_BATCH_SIZE,
        now,
      }),
      retentionWorker({ store, logger, maintenanceQueue, retentionMs: config.RETENTION_DAYS * 86_400_000, now }),
      notificationsWorker({
        prisma,
        logger,
        notificationsQueue,
        dashboardUrl: config.PULSE_DASHBOARD_URL,
        vapidSubject: config.PULSE_VAPID_SUBJECT,
        now,
      }),
    ],
    { connection, prefix, logger, lockMs, redisOutage },
  );

  // Called on every boot, so a changed interval takes effect; one scheduler however many reapers run.
  await reaperQueue.upsertJobScheduler(
    REAP_STALE_SCHEDULER_ID,
    { every: Math.round(config.REAPER_INTERVAL_SECONDS * 1000) },
    { name: reapStaleJob.name, data: { reason: "schedule" }, opts: reapStaleJob.options },
  );
  await maintenanceQueue.upsertJobScheduler(
    PRUNE_RETENTION_SCHEDULER_ID,
    { every: 3_600_000 },
    { name: pruneRetentionJob.name, data: { reason: "schedule" }, opts: pruneRetentionJob.options },
  );
  await maintenanceQueue.add(pruneRetentionJob.name, { reason: "boot" }, pruneRetentionJob.options);
  await notificationsQueue.upsertJobScheduler(
    NOTIFY_SWEEP_SCHEDULER_ID,
    { every: 1000 },
    { name: notifySweepJob.name, data: { reason: "schedule" }, opts: notifySweepJob.options },
  );
  // Waits that began while no reaper ran are notified now, not a second later.
  await notificationsQueue.add(notifySweepJob.name, { reason: "boot" }, notifySweepJob.options);
  // Sessions that died while Pulse was down end now, at their true last activity.
  await reaperQueue.add(reapStaleJob.name, { reason: "boot" }, reapStaleJob.options);
  logger.info(
    { staleTimeoutMinutes: config.SESSION_STALE_TIMEOUT_MINUTES, intervalSeconds: config.REAPER_INTERVAL_SECONDS },
    "reaper started",
  );

  return {
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([
        eventsQueue.close(),
        reaperQueue.close(),
        maintenanceQueue.close(),
        notificationsQueue.close(),
      ]);
      await Promise.all([
        connection.quit().catch(() => connection.disconnect()),
        publisher.quit().catch(() => publisher.disconnect()),
      ]);
      await prisma.$disconnect();
    },
  };
}
