import { randomBytes } from "node:crypto";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { deleteKeysWithPrefix } from "@pulse/test-kit";
import { createTestEnv, waitFor } from "../env";
import { REDIS_URL } from "../services";
import { Ledger } from "./ledger";
import { type OwnPostgres, type OwnRedis, startOwnPostgres, startOwnRedis } from "./own-services";
import { type AppProcess, freePort, printFigures, runApp } from "./processes";

// Issue 10, items 6 and "keep what held": Postgres stopped and Redis killed under a steady load, with
// ingest and the worker as real processes on a Postgres cluster and a Redis of the test's own.
// Nothing accepted is lost or doubled, a Redis outage is a 503 with Retry-After, and each outage is a
// few log lines (a 20 s Postgres outage used to write 18,695 "job failed" lines with stacks).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started: AppProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop(5_000)));
});

interface LoadTimeline {
  /** When each answer came (epoch ms) and what it was. */
  answers: Array<[number, number | "no answer"]>;
}

/** Posts events at `perSecond` for `ms`, unique ids, 20 sessions; `at` runs faults at given times. */
async function steadyLoad(
  ledger: Ledger,
  url: string,
  {
    perSecond,
    ms,
    prefix,
    at,
  }: { perSecond: number; ms: number; prefix: string; at: Array<[number, () => Promise<void> | void]> },
): Promise<LoadTimeline> {
  const timeline: LoadTimeline = { answers: [] };
  const inflight = new Set<Promise<unknown>>();
  const t0 = Date.now();
  const faults = at.map(([when, fault]) => sleep(when).then(fault));
  let i = 0;
  while (Date.now() - t0 < ms) {
    const due = Math.floor(((Date.now() - t0) / 1000) * perSecond);
    while (i < due && inflight.size < 100) {
      const n = i++;
      const p = ledger
        .post(url, { session_id: `${prefix}-${n % 20}`, id: `e${n}`, time: Date.now() })
        .then((status) => timeline.answers.push([Date.now(), status]));
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    await sleep(10);
  }
  await Promise.all([...inflight, ...faults]);
  return timeline;
}

/** Warn-and-above lines of a process's pino log, and how many carry a stack. */
function loudLines(app: AppProcess) {
  const lines = app.logs().filter((l) => typeof l.level === "number" && l.level >= 40);
  return { lines, stacks: lines.filter((l) => JSON.stringify(l).includes('"stack"')).length };
}

describe("outages under load (own Postgres cluster, own Redis)", () => {
  let pg: OwnPostgres | undefined;
  let ownRedis: OwnRedis | undefined;
  let prisma: PrismaClient | undefined;
  afterEach(async () => {
    await prisma?.$disconnect();
    prisma = undefined;
    pg?.destroy();
    pg = undefined;
    await ownRedis?.destroy();
    ownRedis = undefined;
  });

  it("Postgres stopped (fast) for 6 s: every accepted event applied once, and the outage is a few log lines, not one per job", async () => {
    pg = await startOwnPostgres();
    const prefix = `pulse-test-pgdown-${randomBytes(4).toString("hex")}`;
    try {
      const port = await freePort();
      const vars = {
        DATABASE_URL: pg.databaseUrl,
        REDIS_URL,
        PULSE_REDIS_PREFIX: prefix,
        INGEST_PORT: String(port),
        SESSION_STALE_TIMEOUT_MINUTES: "1000",
        REAPER_INTERVAL_SECONDS: "1",
      };
      const ingest = runApp("ingest", vars);
      const worker = runApp("reaper", vars);
      started.push(ingest, worker);
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${url}/readyz`)).ok && /reaper started/.test(worker.output()), {
        timeoutMs: 30_000,
        what: "ingest and worker up",
      });

      const ledger = new Ledger();
      const own = pg;
      let downMs = 0;
      await steadyLoad(ledger, url, {
        perSecond: 100,
        ms: 14_000,
        prefix: "pgdown",
        at: [
          [4_000, () => own.stop("fast")],
          [
            10_000,
            () => {
              const t = Date.now();
              own.start();
              downMs = 6_000 + (Date.now() - t);
            },
          ],
        ],
      });
      prisma = createPrismaClient(pg.databaseUrl);
      const db = prisma;
      await waitFor(async () => ((await db.event.count()) >= ledger.accepted.size ? true : undefined), {
        timeoutMs: 90_000,
        intervalMs: 250,
        what: `${ledger.accepted.size} accepted events applied`,
      });
      const figures = await ledger.figures(prisma, "pgdown");
      const workerLog = loudLines(worker);
      const ingestLog = loudLines(ingest);
      const down = worker.logs().filter((l) => /events cannot be applied/.test(l.msg));
      const up = worker.logs().filter((l) => /events are applied again/.test(l.msg));
      printFigures("Postgres stopped (fast) 6 s under 100 events/s", {
        ...figures,
        postgres_down_ms: downMs,
        apply_failures_during_outage: up.reduce((n, l) => n + (l.failures ?? 0), 0),
        worker_warn_error_lines: workerLog.lines.length,
        worker_lines_with_stack: workerLog.stacks,
        ingest_warn_error_lines: ingestLog.lines.length,
      });
      expect(figures).toMatchObject({ lost: 0, doubled: 0, other_5xx: 0, no_answer: 0 });
      expect(figures.accepted).toBe(figures.sent);
      // Said when it began and when it ended; not a line per failed job.
      expect(down.length).toBeGreaterThanOrEqual(1);
      expect(down.length).toBeLessThanOrEqual(2);
      expect(up.length).toBe(down.length);
      expect(worker.logs().filter((l) => l.msg === "job failed")).toEqual([]);
      expect(workerLog.lines.length).toBeLessThanOrEqual(12);
      expect(ingestLog.lines.length).toBeLessThanOrEqual(6);
    } finally {
      await Promise.all(started.splice(0).map((p) => p.stop(5_000)));
      await deleteKeysWithPrefix(REDIS_URL, prefix);
    }
  }, 240_000);

  it("Redis killed (kill -9) for 4 s: 503 with Retry-After meanwhile, back within seconds, nothing accepted lost (AOF), a few log lines", async () => {
    ownRedis = await startOwnRedis();
    const env = await createTestEnv("redisdown");
    try {
      const port = await freePort();
      const vars = {
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: ownRedis.url,
        PULSE_REDIS_PREFIX: env.redisPrefix,
        INGEST_PORT: String(port),
        SESSION_STALE_TIMEOUT_MINUTES: "1000",
        REAPER_INTERVAL_SECONDS: "1",
      };
      const ingest = runApp("ingest", vars);
      const worker = runApp("reaper", vars);
      started.push(ingest, worker);
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${url}/readyz`)).ok && /reaper started/.test(worker.output()), {
        timeoutMs: 30_000,
        what: "ingest and worker up",
      });

      const ledger = new Ledger();
      const own = ownRedis;
      let restartedAt = 0;
      const timeline = await steadyLoad(ledger, url, {
        perSecond: 100,
        ms: 14_000,
        prefix: "redisdown",
        at: [
          [4_000, () => own.kill9()],
          [
            8_000,
            async () => {
              await own.restart();
              restartedAt = Date.now();
            },
          ],
        ],
      });
      prisma = createPrismaClient(env.databaseUrl);
      const db = prisma;
      await waitFor(async () => ((await db.event.count()) >= ledger.accepted.size ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: `${ledger.accepted.size} accepted events applied`,
      });
      const figures = await ledger.figures(prisma, "redisdown");
      const first202AfterRestart = Math.min(
        ...timeline.answers.filter(([t, s]) => s === 202 && t >= restartedAt).map(([t]) => t),
      );
      const workerLog = loudLines(worker);
      const ingestLog = loudLines(ingest);
      printFigures("Redis kill -9, 4 s down, under 100 events/s", {
        ...figures,
        back_after_restart_ms: first202AfterRestart - restartedAt,
        worker_warn_error_lines: workerLog.lines.length,
        worker_lines_with_stack: workerLog.stacks,
        ingest_warn_error_lines: ingestLog.lines.length,
        ingest_lines_with_stack: ingestLog.stacks,
      });
      expect(figures).toMatchObject({ lost: 0, doubled: 0, other_5xx: 0, no_answer: 0 });
      expect(figures["503"]).toBeGreaterThan(0);
      expect(figures["503_with_retry_after"]).toBe(figures["503"]);
      expect(figures.accepted + figures["503"]).toBe(figures.sent);
      expect(first202AfterRestart - restartedAt).toBeLessThan(5_000);
      expect(workerLog.lines.length).toBeLessThanOrEqual(15);
      expect(ingestLog.lines.length).toBeLessThanOrEqual(8);
    } finally {
      await Promise.all(started.splice(0).map((p) => p.stop(5_000)));
      await env.cleanup();
    }
  }, 240_000);
});
