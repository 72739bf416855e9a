import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildEvent, eventInputSchema, mapEventInput, type NormalizedEvent } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { applyEventsJob, QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { Client } from "pg";
import { waitFor } from "../env";
import { startStack, type TestStack } from "../stack";
import { printFigures } from "./processes";

// Issue 10, item 2: one event Postgres cannot store must never hold up the others (group commit puts
// many requests' events in one job, and the worker merges jobs into one transaction), must never be
// accepted and then retried for days, and must never stop the reaper.

const HOOK = JSON.parse(readFileSync(join(__dirname, "../fixtures/claude-code/post-tool-use.json"), "utf8"));
const HOUR = 3_600_000;

let stack: TestStack;
let prisma: PrismaClient;
let redis: Redis;
let queue: Queue;

beforeEach(async () => {
  // A 3 s timeout and a sweep every 0.5 s: a silent session is reaped within seconds, unless sweeps stop.
  stack = await startStack({
    label: "poison",
    env: { SESSION_STALE_TIMEOUT_MINUTES: "0.05", REAPER_INTERVAL_SECONDS: "0.5" },
    ingestUpSince: Date.now() - 24 * HOUR,
  });
  prisma = createPrismaClient(stack.env.databaseUrl);
  redis = new Redis(stack.env.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: stack.env.redisPrefix });
  await waitFor(async () => (await fetch(`${stack.url}/readyz`)).ok, { what: "ingest ready" });
});
afterEach(async () => {
  await queue.close();
  await redis.quit();
  await prisma.$disconnect();
  await stack.stop();
});

let seq = 0;
function event(session: string, extra: Partial<NormalizedEvent> = {}): NormalizedEvent {
  const time = Date.now() - 1_000;
  const input = eventInputSchema.parse({ session_id: session, source: "fault-test", kind: "tool", time });
  return {
    ...buildEvent(
      input,
      mapEventInput(input),
      { key: `p${++seq}`, receivedMs: Date.now(), stampedMs: time, host: null },
      input,
    ),
    ...extra,
  };
}

/** A session that went silent long ago: the next sweep ends it, if sweeps run. */
async function silentSession(id: string) {
  const old = Date.now() - HOUR;
  await fetch(`${stack.url}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ session_id: id, source: "fault-test", kind: "start", time: old }),
  });
}

const ended = async (id: string) => (await prisma.session.findUnique({ where: { id } }))?.status === "ended";

describe("one poisoned event", () => {
  it("a string cut inside an emoji (lone UTF-16 surrogates) among 200 concurrent hook POSTs: all 200 accepted and applied, the text kept with U+FFFD", async () => {
    // What JSON.stringify writes for a tool output cut at a limit inside "😀": in the session's id
    // (a text parameter, which Prisma refuses), a value, a command and a key.
    const poisoned = JSON.stringify({
      ...HOOK,
      session_id: "poison-hooks-😀".slice(0, -1),
      tool_input: { command: "echo 😀".slice(0, -1) },
      tool_response: {
        ...HOOK.tool_response,
        stdout: "cut here: 😀".slice(0, -1),
        ["k\uDE00"]: "\uDE00 low half first",
      },
    });
    expect(poisoned).toContain("\\ud83d");
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const body =
          i === 100
            ? poisoned
            : JSON.stringify({ ...HOOK, session_id: `poison-hooks-${i % 20}`, tool_use_id: `toolu_${i}` });
        const reply = await fetch(`${stack.url}/v1/hooks/claude-code`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": `hook-${i}` },
          body,
        });
        await reply.text();
        return reply.status;
      }),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(200);
    await waitFor(
      async () =>
        (await prisma.event.count({ where: { sessionId: { startsWith: "poison-hooks-" } } })) === 200
          ? true
          : undefined,
      { timeoutMs: 15_000, what: "all 200 events applied" },
    );
    const appliedMs = Date.now() - started;
    const stored = await prisma.event.findFirst({ where: { key: "hook-100" } });
    const payload = stored!.payload as any;
    expect(payload.tool_response.stdout).toBe("cut here: \uFFFD");
    expect(payload.tool_response["k\uFFFD"]).toBe("\uFFFD low half first");
    expect(payload.tool_input.command).toBe("echo \uFFFD");
    expect(stored!.sessionId).toBe("poison-hooks-\uFFFD");
    expect(await queue.getJobCounts("failed", "delayed")).toEqual({ failed: 0, delayed: 0 });
    const counted = (
      await prisma.session.aggregate({ where: { id: { startsWith: "poison-hooks-" } }, _sum: { eventCount: true } })
    )._sum.eventCount;
    printFigures("200 concurrent hook POSTs, 1 with lone surrogates", {
      sent: 200,
      accepted: 200,
      applied: 200,
      lost: 0,
      doubled: (counted ?? 0) - 200,
      failed_jobs: 0,
      all_applied_after_ms: appliedMs,
    });
    expect(counted).toBe(200);
  });

  it("events queued with lone surrogates past the edge (an older ingest, another producer): the text is repaired where it reaches Postgres; an id Postgres cannot hold fails alone", async () => {
    const cut = "😀".slice(0, 1);
    const repairable = event("poison-queued-0", { payload: { stdout: `cut ${cut}` }, detail: `detail ${cut}` });
    const unstorableId = event(`poison-queued-${cut}`);
    const job = await queue.add(
      applyEventsJob.name,
      {
        events: [
          repairable,
          unstorableId,
          ...Array.from({ length: 50 }, (_, i) => event(`poison-queued-${1 + (i % 5)}`)),
        ],
      },
      applyEventsJob.options,
    );
    await waitFor(async () => ((await job.getState()) === "failed" ? true : undefined), {
      timeoutMs: 15_000,
      what: "the job settled",
    });
    const stored = await prisma.event.findFirst({ where: { key: repairable.key } });
    expect(stored).toMatchObject({ payload: { stdout: "cut \uFFFD" }, detail: "detail \uFFFD" });
    expect(await prisma.event.count({ where: { sessionId: { startsWith: "poison-queued-" } } })).toBe(51);
    const failed = (await queue.getJob(job.id!))!;
    expect(failed.data.events.map((e: NormalizedEvent) => e.key)).toEqual([unstorableId.key]);
    expect(failed.attemptsMade).toBe(1);
  });

  it("an event Postgres refuses, in one job with 199 others: the 199 are applied at once, the one is moved to the failed jobs alone, and the reaper keeps sweeping", async () => {
    await silentSession("poison-silent");
    // Past what any queue path checks: 2^31 tokens do not fit Postgres' integer column (22003).
    const bad = event("poison-int-bad", {
      usage: {
        input_tokens: 2 ** 31,
        output_tokens: null,
        cache_read_tokens: null,
        cache_creation_tokens: null,
        cost_usd: null,
        estimated_cost_usd: null,
        model: null,
        api_error: false,
        tool_call: null,
      },
    });
    const events = Array.from({ length: 200 }, (_, i) => (i === 137 ? bad : event(`poison-int-${i % 25}`)));
    const started = Date.now();
    const job = await queue.add(applyEventsJob.name, { events }, applyEventsJob.options);
    await waitFor(async () => ((await job.getState()) === "failed" ? true : undefined), {
      timeoutMs: 15_000,
      what: "the job failed",
    });
    const settledMs = Date.now() - started;
    expect(await prisma.event.count({ where: { sessionId: { startsWith: "poison-int-" } } })).toBe(199);
    const failed = (await queue.getJob(job.id!))!;
    // No retries for days: it cannot succeed. It keeps only the event that failed, and says why.
    expect(failed.attemptsMade).toBe(1);
    expect(failed.data.events.map((e: NormalizedEvent) => e.key)).toEqual([bad.key]);
    expect(failed.failedReason).toBe(
      `1 of 200 event(s) cannot be applied: Postgres 22003: value "2147483648" is out of range for type integer`,
    );
    await waitFor(() => ended("poison-silent"), { timeoutMs: 15_000, what: "the silent session reaped" });
    printFigures("1 event Postgres refuses in a job of 200", {
      sent: 200,
      applied: 199,
      failed_alone: 1,
      retries: 0,
      settled_ms: settledMs,
      reaper_swept: "yes",
    });
  });

  it("a job that keeps failing for a reason not in Postgres' data checks is retried alone, without the rest of its batch, and never holds the reaper's sweeps", async () => {
    // A database that refuses one session's events (a trigger: SQLSTATE P0001, nothing Pulse can classify).
    const db = new Client({ connectionString: stack.env.databaseUrl });
    await db.connect();
    await db.query(
      `CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN IF NEW.session_id = 'poison-trigger-bad' THEN RAISE EXCEPTION 'refused by trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await db.query(
      `CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison()`,
    );
    await db.end();
    await silentSession("poison-silent-2");
    const events = Array.from({ length: 100 }, (_, i) =>
      event(i === 42 ? "poison-trigger-bad" : `poison-trigger-${i % 10}`),
    );
    const job = await queue.add(applyEventsJob.name, { events }, applyEventsJob.options);
    await waitFor(
      async () =>
        (await prisma.event.count({ where: { sessionId: { startsWith: "poison-trigger-" } } })) === 99
          ? true
          : undefined,
      { timeoutMs: 15_000, what: "the 99 good events applied" },
    );
    await waitFor(async () => ((await job.getState()) === "delayed" ? true : undefined), {
      timeoutMs: 10_000,
      what: "the job waiting for its retry",
    });
    const retried = (await queue.getJob(job.id!))!;
    expect(retried.data.events).toHaveLength(1);
    expect(retried.failedReason).toBe("1 of 100 event(s) failed on their own: Postgres P0001: refused by trigger");
    // The old rule counted this retry as a backlog and skipped every sweep from now on.
    await waitFor(() => ended("poison-silent-2"), {
      timeoutMs: 15_000,
      what: "the silent session reaped while the job is retried",
    });
  });
});
