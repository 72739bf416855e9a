import { buildEvent, eventInputSchema, type EventKind, mapEventInput } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import {
  applyEventsJob,
  ingestUpSinceKey,
  JOB_NAMES,
  lastChangeId,
  QUEUE_NAMES,
  readChangesAfter,
  REAP_STALE_SCHEDULER_ID,
  sessionChangesKey,
} from "@pulse/queues";
import { applyEventBatch, getSession } from "@pulse/sessions";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { Client } from "pg";
import pino from "pino";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { startReaper } from "./app";
import { loadReaperConfig } from "./config";

const MIN = 60_000;
const silent = pino({ level: "silent" });

let env: TestEnv;
let prisma: PrismaClient;
let redis: Redis;
let eventsQueue: Queue;
let reaperQueue: Queue;

beforeEach(async () => {
  env = await createTestEnv("reaper");
  prisma = createPrismaClient(env.databaseUrl);
  redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  eventsQueue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: env.redisPrefix });
  reaperQueue = new Queue(QUEUE_NAMES.reaper, { connection: redis, prefix: env.redisPrefix });
  // An ingest that has been up for a day (lifecycle rule 9 is tested in liveness.int.test.ts): these
  // tests are about the reaper itself.
  await redis.set(ingestUpSinceKey(env.redisPrefix), String(Date.now() - 24 * 60 * MIN), "PX", 30 * MIN);
});
afterEach(async () => {
  await eventsQueue.close();
  await reaperQueue.close();
  await redis.quit();
  await prisma.$disconnect();
  await env.cleanup();
});

const config = (vars: Record<string, string> = {}) =>
  loadReaperConfig({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    PULSE_REDIS_PREFIX: env.redisPrefix,
    ...vars,
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

describe("the reaper app", () => {
  it("at boot, ends sessions that went silent while the reaper was down, at their true last activity", async () => {
    const t = Date.now() - 40 * MIN;
    await applyEventBatch(prisma, [
      event("died", "start", t),
      event("died", "turn_end", t + 10 * MIN),
      event("alive", "tool", Date.now() - MIN),
    ]);
    const since = await lastChangeId(redis, sessionChangesKey(env.redisPrefix));
    const published = async () =>
      (await readChangesAfter(redis, sessionChangesKey(env.redisPrefix), since, 10_000)).changes.map((c) => ({
        session: JSON.parse(c.session),
      }));

    // An interval far longer than the test: only the boot run can do this.
    const app = await startReaper(config({ REAPER_INTERVAL_SECONDS: "3600" }), { logger: silent });
    const died = await waitFor(
      async () => {
        const s = await getSession(prisma, "died");
        return s?.status === "ended" ? s : undefined;
      },
      { what: "the boot sweep" },
    );
    expect(died).toMatchObject({ endReason: "stale", endedAt: t + 10 * MIN, startedAt: t, waitingReason: null });
    expect((await getSession(prisma, "alive"))?.status).toBe("active");
    const reaped = await waitFor(
      async () => (await published()).find((m) => m.session.id === "died" && m.session.end_reason === "stale"),
      { what: "the reaped session on the session-change stream" },
    );
    expect(reaped.session.duration_ms).toBe(10 * MIN);

    // The scheduler exists once, with the configured interval, however often the app boots.
    const again = await startReaper(config({ REAPER_INTERVAL_SECONDS: "3600" }), { logger: silent });
    const schedulers = await reaperQueue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: REAP_STALE_SCHEDULER_ID, every: 3_600_000, name: JOB_NAMES.reapStale });
    await again.stop();
    await app.stop();
  });

  it("sweeps every REAPER_INTERVAL_SECONDS, and a later event revives a reaped session", async () => {
    const app = await startReaper(config({ REAPER_INTERVAL_SECONDS: "0.5", SESSION_STALE_TIMEOUT_MINUTES: "0.05" }), {
      logger: silent,
    });
    // Applied through the real queue and worker; 3 s of silence is stale at this timeout.
    const t = Date.now() - 20_000;
    await eventsQueue.add(
      applyEventsJob.name,
      { events: [event("revive", "start", t), event("revive", "turn_end", t + 1000)] },
      applyEventsJob.options,
    );
    const reaped = await waitFor(
      async () => {
        const s = await getSession(prisma, "revive");
        return s?.endReason === "stale" ? s : undefined;
      },
      { what: "a scheduled sweep" },
    );
    expect(reaped.endedAt).toBe(t + 1000);
    await eventsQueue.add(
      applyEventsJob.name,
      { events: [event("revive", "prompt", Date.now())] },
      applyEventsJob.options,
    );
    const revived = await waitFor(
      async () => {
        const s = await getSession(prisma, "revive");
        return s?.reopenCount === 1 ? s : undefined;
      },
      { what: "the revival" },
    );
    expect(revived).toMatchObject({ status: "active", endReason: null, endedAt: null });
    await app.stop();
  });

  it("does not judge sessions while the events queue has a backlog, and catches up once it drains", async () => {
    await applyEventBatch(prisma, [event("behind", "tool", Date.now() - 30 * MIN)]);
    // An event for it has been waiting in the queue for a minute (the worker was down, say): it is
    // not applied yet, so the session may well be alive.
    await eventsQueue.add(
      applyEventsJob.name,
      { events: [event("behind", "tool", Date.now() - 10_000)] },
      { ...applyEventsJob.options, delay: 60 * MIN, timestamp: Date.now() - MIN },
    );
    const app = await startReaper(config({ REAPER_INTERVAL_SECONDS: "0.3" }), { logger: silent });
    await waitFor(async () => ((await reaperQueue.getJobCounts("completed")).completed >= 3 ? true : undefined), {
      what: "three sweeps",
    });
    expect((await getSession(prisma, "behind"))?.status).toBe("active");
    // The backlog drains (here: the job is promoted and applied): the event keeps the session alive.
    const [job] = await eventsQueue.getDelayed();
    await job.promote();
    await waitFor(async () => ((await getSession(prisma, "behind"))?.eventCount === 2 ? true : undefined), {
      what: "the backlog applied",
    });
    const completed = (await reaperQueue.getJobCounts("completed")).completed;
    await waitFor(
      async () => ((await reaperQueue.getJobCounts("completed")).completed >= completed + 2 ? true : undefined),
      { what: "two more sweeps" },
    );
    expect((await getSession(prisma, "behind"))?.status).toBe("active");
    await app.stop();
  });

  it("several reapers at once end each stale session exactly once", async () => {
    const t = Date.now() - 60 * MIN;
    const ids = Array.from({ length: 300 }, (_, i) => `many-${i}`);
    await applyEventBatch(
      prisma,
      ids.map((id, i) => event(id, "turn_end", t + i)),
    );
    const since = await lastChangeId(redis, sessionChangesKey(env.redisPrefix));
    // Small batches, so a sweep queues its own continuation and the three apps share the work.
    const apps = await Promise.all(
      [1, 2, 3].map(() =>
        startReaper(config({ REAPER_BATCH_SIZE: "40", REAPER_INTERVAL_SECONDS: "0.2" }), { logger: silent }),
      ),
    );
    await waitFor(
      async () => ((await prisma.session.count({ where: { status: "ended" } })) === 300 ? true : undefined),
      { what: "all 300 reaped" },
    );
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all(apps.map((a) => a.stop()));
    const { changes } = await readChangesAfter(redis, sessionChangesKey(env.redisPrefix), since, 10_000);
    const reapedIds = changes.map((c) => JSON.parse(c.session).id);
    expect(reapedIds).toHaveLength(300);
    expect(new Set(reapedIds).size).toBe(300);
    const rows = await prisma.session.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.endReason === "stale" && r.endedAt!.getTime() === r.lastEventAt!.getTime())).toBe(true);
  });

  it("a backlog of one-event jobs is applied in merged transactions, every job completed once", async () => {
    const t = Date.now() - 60_000;
    const jobs = await eventsQueue.addBulk(
      Array.from({ length: 300 }, (_, i) => ({
        name: applyEventsJob.name,
        data: { events: [event(`small-${i % 30}`, "tool", t + i)] },
        opts: applyEventsJob.options,
      })),
    );
    const app = await startReaper(config({ REAPER_INTERVAL_SECONDS: "3600", SESSION_STALE_TIMEOUT_MINUTES: "1000" }), {
      logger: silent,
    });
    await waitFor(
      async () =>
        (await prisma.event.count({ where: { sessionId: { startsWith: "small-" } } })) === 300 ? true : undefined,
      { what: "300 events applied" },
    );
    await waitFor(async () => ((await eventsQueue.getJobCounts("completed")).completed === 300 ? true : undefined), {
      what: "300 jobs completed",
    });
    expect(await eventsQueue.getJobCounts("failed", "active", "wait")).toEqual({ failed: 0, active: 0, wait: 0 });
    const sessions = await prisma.session.findMany({ where: { id: { startsWith: "small-" } } });
    expect(sessions.every((s) => s.eventCount === 10)).toBe(true);
    // Fewer transactions than jobs: some job carried others with it.
    const results = await Promise.all(jobs.map(async (j) => (await eventsQueue.getJob(j.id!))?.returnvalue));
    expect(results.some((r) => r && r.jobs > 1)).toBe(true);
    await app.stop();
  });

  it("a job that fails in the database fails alone; the jobs merged with it are applied", async () => {
    // A database that refuses one session's events (any failure the payload checks cannot foresee).
    const db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    await db.query(
      `CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN IF NEW.session_id = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await db.query(
      `CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison()`,
    );
    await db.end();
    const t = Date.now() - 60_000;
    const opts = { ...applyEventsJob.options, attempts: 1 };
    await eventsQueue.addBulk([
      ...Array.from({ length: 10 }, (_, i) => ({
        name: applyEventsJob.name,
        data: { events: [event(`fine-${i}`, "tool", t + i)] },
        opts,
      })),
      { name: applyEventsJob.name, data: { events: [event("poison", "tool", t)] }, opts },
      ...Array.from({ length: 10 }, (_, i) => ({
        name: applyEventsJob.name,
        data: { events: [event(`fine-${10 + i}`, "tool", t + i)] },
        opts,
      })),
    ]);
    const app = await startReaper(config({ REAPER_INTERVAL_SECONDS: "3600", SESSION_STALE_TIMEOUT_MINUTES: "1000" }), {
      logger: silent,
    });
    await waitFor(
      async () => ((await eventsQueue.getJobCounts("completed", "failed")).completed === 20 ? true : undefined),
      { what: "the 20 good jobs" },
    );
    await waitFor(async () => ((await eventsQueue.getJobCounts("failed")).failed === 1 ? true : undefined), {
      what: "the poison job to fail",
    });
    const [failed] = await eventsQueue.getFailed();
    expect(failed.data.events[0].session_id).toBe("poison");
    expect(failed.failedReason).toMatch(/refused/);
    expect(await prisma.event.count({ where: { sessionId: { startsWith: "fine-" } } })).toBe(20);
    await app.stop();
  });

  it("a job whose payload cannot be valid fails at once instead of being retried for days", async () => {
    const app = await startReaper(config({ REAPER_INTERVAL_SECONDS: "3600" }), { logger: silent });
    const job = await eventsQueue.add(
      applyEventsJob.name,
      { events: [{ session_id: "x", kind: "nap" }] },
      applyEventsJob.options,
    );
    await waitFor(async () => ((await job.getState()) === "failed" ? true : undefined), { what: "the job to fail" });
    const failed = await eventsQueue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/invalid payload: events\.0\./);
    await app.stop();
  });
});
