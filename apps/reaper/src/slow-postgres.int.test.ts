import { buildEvent, eventInputSchema, mapEventInput } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { applyEventsJob, QUEUE_NAMES } from "@pulse/queues";
import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { Client } from "pg";
import pino from "pino";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { startReaper } from "./app";
import { loadReaperConfig } from "./config";

// Issue 11: a slow Postgres must not make the jobs the events worker takes by hand (getNextJob) stall
// and run again. Every transaction that stores events is made slower than a job's lock by a trigger
// on this test's own database, so "the batch outlasts the lock" holds by construction, not timing.
// Two seconds, not one: a lock so short expires whenever a loaded CI machine starves the worker for a
// second, which is not what this test is about.
const LOCK_SECONDS = 2;
const TRANSACTION_SECONDS = 3 * LOCK_SECONDS;
const JOBS = 300;

let env: TestEnv;
let prisma: PrismaClient;
let redis: Redis;
let queue: Queue;

beforeEach(async () => {
  env = await createTestEnv("slowpg");
  prisma = createPrismaClient(env.databaseUrl);
  redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: env.redisPrefix });
  const db = new Client({ connectionString: env.databaseUrl });
  await db.connect();
  // Once per statement: each batch's single INSERT of events sleeps, whatever its size.
  await db.query(`
    CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(${TRANSACTION_SECONDS}); RETURN NULL; END $$;
    CREATE TRIGGER slow_events AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION slow_down();`);
  await db.end();
});
afterEach(async () => {
  await queue.close();
  await redis.quit();
  await prisma.$disconnect();
  await env.cleanup();
});

let seq = 0;
function eventJob(session: string) {
  const time = Date.now() - 60_000;
  const input = eventInputSchema.parse({ session_id: session, source: "slow-test", kind: "tool", time });
  const event = buildEvent(
    input,
    mapEventInput(input),
    { key: `slow-${++seq}`, receivedMs: Date.now(), stampedMs: time, host: null },
    input,
  );
  return { name: applyEventsJob.name, data: { events: [event] }, opts: applyEventsJob.options };
}

describe("the events worker against a Postgres slower than its job locks", () => {
  it("keeps the locks of every job it applies, taken by hand or not: none stalls, fails or is applied twice", async () => {
    // Waiting before the worker starts: each of its two slots takes one job and more behind it.
    await queue.addBulk(Array.from({ length: JOBS }, (_, i) => eventJob(`slow-${i % 7}`)));
    const warnings: Array<{ msg: string }> = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const config = loadReaperConfig({
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      PULSE_REDIS_PREFIX: env.redisPrefix,
      JOB_LOCK_SECONDS: String(LOCK_SECONDS),
      EVENTS_CONCURRENCY: "2",
      REAPER_INTERVAL_SECONDS: "3600",
      SESSION_STALE_TIMEOUT_MINUTES: "1000",
    });
    const app = await startReaper(config, { logger });
    try {
      await waitFor(async () => ((await queue.getJobCounts("completed")).completed >= JOBS ? true : undefined), {
        timeoutMs: 60_000,
        what: `${JOBS} jobs completed`,
      });
    } finally {
      await app.stop();
    }
    expect(await queue.getJobCounts("failed", "active", "wait", "delayed", "prioritized")).toEqual({
      failed: 0,
      active: 0,
      wait: 0,
      delayed: 0,
      prioritized: 0,
    });

    const jobs: Job[] = await queue.getJobs(["completed"], 0, -1);
    expect(jobs).toHaveLength(JOBS);
    const handedOver = jobs.filter((j) => j.returnvalue?.jobs !== undefined);
    const takenByHand = jobs.filter((j) => j.returnvalue?.appliedWith !== undefined);
    // The test means something only if jobs were taken by hand into batches that outlasted their lock.
    expect(takenByHand.length).toBeGreaterThan(0);
    expect(handedOver.some((j) => j.finishedOn! - j.processedOn! > 2 * LOCK_SECONDS * 1000)).toBe(true);
    expect(handedOver.length + takenByHand.length).toBe(JOBS);

    // None stalled (found without a lock and handed out again), none lost its lock.
    expect(jobs.filter((j) => j.stalledCounter > 0).map((j) => j.id)).toEqual([]);
    expect(warnings.filter((w) => /lock|stalled/i.test(w.msg))).toEqual([]);
    // Each event applied once: no job ran twice (a second run would find its event a duplicate).
    const applied = handedOver.reduce((n, j) => n + j.returnvalue.applied, 0);
    const duplicates = handedOver.reduce((n, j) => n + j.returnvalue.duplicates, 0);
    expect({ applied, duplicates }).toEqual({ applied: JOBS, duplicates: 0 });
    expect(await prisma.event.count()).toBe(JOBS);
    expect((await prisma.session.aggregate({ _sum: { eventCount: true } }))._sum.eventCount).toBe(JOBS);
  }, 90_000);
});
