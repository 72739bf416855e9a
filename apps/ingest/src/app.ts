import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import { SESSION_ID_MAX } from "@pulse/core";
import { createPrismaClient } from "@pulse/db";
import {
  createProducerConnection,
  ingestUpSinceKey,
  isConnectionError,
  logConnectionOutages,
  OutageLog,
  QUEUE_NAMES,
  sessionChangesKey,
} from "@pulse/queues";
import { createSessionStore } from "@pulse/sessions";
import { Queue } from "bullmq";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { IngestConfig } from "./config";
import type { IngestDeps } from "./deps";
import { EventEnqueuer, isQueueOutage } from "./enqueue/event-enqueuer";
import { RedisReadiness } from "./enqueue/redis-ready";
import { badRequest, unavailable } from "./http/api-error";
import { installHostCheck } from "./http/allowed-hosts";
import { createTokenCheck, installTokenCheck, sendRefusal } from "./http/auth";
import { BODY_LIMIT_BYTES, installBodyParser } from "./http/body";
import { installCrossSiteCheck } from "./http/cross-site";
import { ErrorFilter } from "./http/error.filter";
import { mountQueueBoard } from "./http/queue-board";
import { answerUnknownExpectations, SERVER_TIMEOUTS } from "./http/server-limits";
import { installUrlCheck } from "./http/url-check";
import { IngestModule } from "./ingest.module";
import { NestPinoLogger } from "./logger";
import { createIngestMetrics } from "./metrics/ingest-metrics";
import { startPresence } from "./presence";
import { createRedactor } from "./redact/redactor";

/** Grace for a Redis connection that is not ready yet (booting, reconnecting); past it, 503 at once. */
const REDIS_WAIT_MS = 1_000;

export interface IngestApp {
  app: NestFastifyApplication;
  /** Every route Fastify registered (Nest's, the queue board's, automatic HEADs): the security test walks them all. */
  routes: { method: string; url: string }[];
  /** Stops accepting requests, lets in-flight ones finish (their events reach Redis), then closes Redis and Postgres. */
  close(): Promise<void>;
}

export interface IngestOptions {
  logger: Logger;
  /** The clock that stamps receipt times; tests pass their own. */
  now?: () => number;
}

export async function createIngestApp(
  config: IngestConfig,
  { logger, now = Date.now }: IngestOptions,
): Promise<IngestApp> {
  const prefix = config.PULSE_REDIS_PREFIX;
  const prisma = createPrismaClient(config.DATABASE_URL);
  const redis = createProducerConnection(config.REDIS_URL);
  const redisOutage = logConnectionOutages(redis, logger, { role: "producer" });
  const eventsQueue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix });
  const reaperQueue = new Queue(QUEUE_NAMES.reaper, { connection: redis, prefix });
  // Shown on the queue board only (retention's passes); nothing here adds to it.
  const maintenanceQueue = new Queue(QUEUE_NAMES.maintenance, { connection: redis, prefix });
  // Test deliveries (POST /v1/notifications/test) are queued here for the reaper's delivery worker.
  const notificationsQueue = new Queue(QUEUE_NAMES.notifications, { connection: redis, prefix });
  // A queue repeats its connection's errors: while that is down they are the same outage.
  for (const queue of [eventsQueue, reaperQueue, maintenanceQueue, notificationsQueue])
    queue.on("error", (err) =>
      redis.status === "ready" && !isConnectionError(err)
        ? logger.warn({ err: err.message, queue: queue.name }, "queue error")
        : redisOutage.down(err.message),
    );
  // Requests refused with 503 while Redis is down: said once when it starts and once when it ends.
  const queueOutage = new OutageLog(logger, {
    down: "events cannot be queued: Redis is unavailable; answering 503 until it is back (logged once)",
    up: "events are queued again",
  });
  const enqueuer = new EventEnqueuer(eventsQueue);
  const redactor = await createRedactor({
    enabled: config.PULSE_REDACT === "on",
    extraPatterns: config.PULSE_REDACT_EXTRA_PATTERNS ?? [],
  });
  const readiness = new RedisReadiness(redis);
  const metrics = createIngestMetrics({ prisma, redis, prefix, logger, now });

  const deps: IngestDeps = {
    config,
    prisma,
    redis,
    store: createSessionStore({ prisma, publisher: redis, changesKey: sessionChangesKey(prefix), logger }),
    eventsQueue,
    reaperQueue,
    notificationsQueue,
    queues: [eventsQueue, reaperQueue, maintenanceQueue, notificationsQueue],
    logger,
    now,
    metrics,
    async enqueue(received, bytes) {
      // Every route's events pass here: secrets are replaced before anything reaches Redis (redact/).
      const events = await redactor.redactEvents(received);
      // BullMQ would wait for a connection that is down for as long as it is down: answer instead.
      if (!(await readiness.ready(REDIS_WAIT_MS))) {
        queueOutage.down(`the Redis connection is ${redis.status}`, { events: events.length });
        throw unavailable("events could not be queued: Redis is unavailable; retry shortly");
      }
      try {
        await enqueuer.enqueue(events, bytes);
      } catch (err) {
        // Only Redis being down is a 503 (the client retries, its spool keeps the event): anything
        // else failed this request's own write alone (see EventEnqueuer), and would fail again.
        if (!isQueueOutage(err)) {
          logger.warn(
            { err: (err as Error).message, events: events.length },
            "events could not be queued (not an outage): answered 400",
          );
          throw badRequest(`the event could not be queued: ${(err as Error).message}`);
        }
        queueOutage.down((err as Error).message, { events: events.length });
        throw unavailable("events could not be queued: Redis is unavailable; retry shortly");
      }
      metrics.countAcceptedEvents(events.length);
      queueOutage.up();
    },
  };

  const tokenCheck = createTokenCheck(config.PULSE_TOKEN);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // A session id may be 200 characters (SESSION_ID_MAX); percent-encoded, up to 9 per character in
    // the URL. Fastify's default (100) made a long id's session impossible to read or close.
    // (A router option: given at the top level, Fastify 5 warns it is deprecated at every start.)
    routerOptions: { maxParamLength: SESSION_ID_MAX * 9 },
    // A request that never finishes arriving is answered 408, not held open forever.
    ...SERVER_TIMEOUTS,
    // Errors Fastify's router raises before any route runs (a malformed URL, say) get the API's shape too.
    // Without the token, no hint either: an undecodable URL is a 401 like any other path.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const refusal = tokenCheck?.(request);
      if (refusal) return void sendRefusal(reply, refusal);
      void reply.status(400).send({ error: "invalid_request", message: error.message });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(IngestModule.register(deps), adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const routes: IngestApp["routes"] = [];
  // Before any route exists: Nest adds its routes in init(), the queue board just below.
  fastify.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url ?? route.path });
  });
  installBodyParser(fastify);
  metrics.installResponseCounters(fastify);
  // In this order, each before the body is read: a wrong Host (DNS rebinding), another site's page, no token.
  installHostCheck(fastify, { token: config.PULSE_TOKEN, bind: config.HOST, allowedHosts: config.PULSE_ALLOWED_HOSTS });
  installCrossSiteCheck(fastify);
  installTokenCheck(fastify, tokenCheck);
  installUrlCheck(fastify);
  answerUnknownExpectations(fastify.server);
  app.useGlobalFilters(new ErrorFilter(logger));
  await mountQueueBoard(app, [eventsQueue, reaperQueue, maintenanceQueue, notificationsQueue]);
  // Up (for lifecycle rule 9) once agents can reach it, not while it is still booting.
  let stopPresence = () => {};
  fastify.addHook("onListen", async () => {
    stopPresence = startPresence(redis, ingestUpSinceKey(prefix), now, logger);
  });
  await app.init();

  return {
    app,
    routes,
    async close() {
      stopPresence();
      await app.close();
      await enqueuer.close();
      await metrics.close();
      await Promise.all([
        eventsQueue.close(),
        reaperQueue.close(),
        maintenanceQueue.close(),
        notificationsQueue.close(),
      ]);
      await redis.quit().catch(() => redis.disconnect());
      await prisma.$disconnect();
    },
  };
}
