// Retention (issue 10): ended sessions older than RETENTION_DAYS go, with their events, a bounded
// batch per pass; open sessions are never touched, however old their events.
import { buildEvent, eventInputSchema, type EventKind, mapEventInput } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { ingestUpSinceKey, PRUNE_RETENTION_SCHEDULER_ID, QUEUE_NAMES } from "@pulse/queues";
import { applyEventBatch, getSession, pruneEndedSessions } from "@pulse/sessions";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { startReaper } from "./app";
import { loadReaperConfig } from "./config";

const DAY = 86_400_000;
let env: TestEnv;
let prisma: PrismaClient;
let redis: Redis;

beforeEach(async () => {
  env = await createTestEnv("retention");
  prisma = createPrismaClient(env.databaseUrl);
  redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  await redis.set(ingestUpSinceKey(env.redisPrefix), String(Date.now() - DAY), "PX", 600_000);
});
afterEach(async () => {
  await redis.quit();
  await prisma.$disconnect();
  await env.cleanup();
});

let seq = 0;
function event(session: string, kind: EventKind, time: number) {
  const input = eventInputSchema.parse({ session_id: session, source: "test", kind, time });
  return buildEvent(
    input,
    mapEventInput(input),
    { key: `k${++seq}`, receivedMs: Date.now(), stampedMs: time, host: null },
    input,
  );
}
const eventsOf = async (id: string) => prisma.event.count({ where: { sessionId: id } });

describe("retention", () => {
  it("deletes ended sessions past RETENTION_DAYS with their events, keeps open and recent ones (the reaper app, at boot and hourly)", async () => {
    const old = Date.now() - 100 * DAY;
    await applyEventBatch(prisma, [
      event("old-ended", "start", old),
      event("old-ended", "tool", old + 1000),
      event("old-ended", "end", old + 2000),
    ]);
    await applyEventBatch(prisma, [event("old-open", "start", old), event("old-open", "tool", Date.now() - 1000)]);
    await applyEventBatch(prisma, [
      event("recent-ended", "start", Date.now() - 10 * DAY),
      event("recent-ended", "end", Date.now() - 10 * DAY + 1),
    ]);
    const app = await startReaper(
      loadReaperConfig({
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        PULSE_REDIS_PREFIX: env.redisPrefix,
        REAPER_INTERVAL_SECONDS: "3600",
      }),
      { logger: pino({ level: "silent" }) },
    );
    await waitFor(async () => ((await getSession(prisma, "old-ended")) === null ? true : undefined), {
      what: "the boot pass",
    });
    expect(await eventsOf("old-ended")).toBe(0);
    expect((await getSession(prisma, "old-open"))?.status).toBe("active");
    expect(await eventsOf("old-open")).toBe(2);
    expect((await getSession(prisma, "recent-ended"))?.status).toBe("ended");
    const maintenance = new Queue(QUEUE_NAMES.maintenance, { connection: redis, prefix: env.redisPrefix });
    const schedulers = await maintenance.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([[PRUNE_RETENTION_SCHEDULER_ID, 3_600_000]]);
    await maintenance.close();
    await app.stop();
  });

  it("is bounded per pass and never touches an open session", async () => {
    const old = Date.now() - 200 * DAY;
    await applyEventBatch(
      prisma,
      Array.from({ length: 25 }, (_, i) => [event(`e${i}`, "start", old), event(`e${i}`, "end", old + 1)]).flat(),
    );
    await applyEventBatch(prisma, [event("open", "start", old)]);
    expect(await pruneEndedSessions(prisma, { endedBeforeMs: Date.now() - 90 * DAY, limit: 10 })).toEqual({
      sessions: 10,
      events: 20,
    });
    expect(await pruneEndedSessions(prisma, { endedBeforeMs: Date.now() - 90 * DAY, limit: 100 })).toEqual({
      sessions: 15,
      events: 30,
    });
    expect(await pruneEndedSessions(prisma, { endedBeforeMs: Date.now() - 90 * DAY, limit: 100 })).toEqual({
      sessions: 0,
      events: 0,
    });
    expect((await getSession(prisma, "open"))?.status).toBe("active");
  });
});
