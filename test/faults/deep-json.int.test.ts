import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildEvent, eventInputSchema, mapEventInput, type NormalizedEvent } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { EventEnqueuer, isQueueOutage } from "../../apps/ingest/src/enqueue/event-enqueuer";
import { MAX_JSON_DEPTH } from "../../apps/ingest/src/http/json-depth";
import { waitFor } from "../env";
import { startStack, type TestStack } from "../stack";
import { printFigures } from "./processes";

// Issue 10, item 3: bodies nested thousands of levels deep overflowed the stack of JSON.stringify
// (payload caps, idempotency keys) or of BullMQ's job encoding: a 500, or a 503 "Redis is
// unavailable" for every request sharing the group-commit write. Refused at the edge now, and a write
// that fails for one request's own reasons fails that request alone.

const HOOK = JSON.parse(readFileSync(join(__dirname, "../fixtures/claude-code/post-tool-use.json"), "utf8"));

/** JSON text nesting `levels` arrays inside a hook's tool input: well under the 1 MiB body limit. */
function deepHook(levels: number, sessionId = "deep-x"): string {
  return JSON.stringify({ ...HOOK, session_id: sessionId, tool_input: "__DEEP__" }).replace(
    '"__DEEP__"',
    "[".repeat(levels) + "1" + "]".repeat(levels),
  );
}

let stack: TestStack;
let prisma: PrismaClient;

beforeAll(async () => {
  stack = await startStack({ label: "deep", env: { SESSION_STALE_TIMEOUT_MINUTES: "1000" } });
  prisma = createPrismaClient(stack.env.databaseUrl);
  await waitFor(async () => (await fetch(`${stack.url}/readyz`)).ok, { what: "ingest ready" });
});
afterAll(async () => {
  await prisma.$disconnect();
  await stack.stop();
});

async function post(path: string, body: string) {
  const reply = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: reply.status, body: await reply.json().catch(() => null) };
}

describe("deeply nested JSON", () => {
  it("is refused with a 400 naming the limit on every route that takes a body, before anything recursive runs", async () => {
    const posts = [
      ...new Set(
        stack.ingest.routes.filter((r) => r.method === "POST").map((r) => r.url.replace(/:[a-z]+/gi, "claude-code")),
      ),
    ];
    expect(posts).toEqual(
      expect.arrayContaining([
        "/v1/events",
        "/v1/hooks/claude-code",
        "/v1/logs",
        "/v1/liveness",
        "/v1/sessions/cleanup",
      ]),
    );
    const levels = [MAX_JSON_DEPTH + 1, 4_300, 100_000, 400_000];
    const seen: string[] = [];
    for (const path of posts) {
      for (const depth of levels) {
        const reply = await post(path, deepHook(depth));
        seen.push(`${path} ${depth}: ${reply.status}`);
        const message = `the body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;
        // Bull Board's own routes answer in Bull Board's shape ({error: {key}, message}).
        const expected = path.startsWith("/queues/")
          ? { error: expect.anything(), message }
          : { error: "invalid_request", message };
        expect({ path, depth, status: reply.status, body: reply.body }).toEqual({
          path,
          depth,
          status: 400,
          body: expected,
        });
      }
    }
    // At the limit, a body is an ordinary one.
    expect((await post("/v1/hooks/claude-code", deepHook(MAX_JSON_DEPTH - 2, "deep-at-limit"))).status).toBe(202);
    printFigures("deep JSON on every POST route", {
      routes: posts.length,
      bodies: seen.length,
      "400": seen.length,
      "5xx": 0,
    });
  });

  it("one deep body among 98 valid ones sent at once: the 98 are accepted and applied, the deep one alone gets a 400", async () => {
    const replies = await Promise.all(
      Array.from({ length: 99 }, async (_, i) => {
        const body =
          i === 50
            ? deepHook(4_300, "deep-batch-50")
            : JSON.stringify({ ...HOOK, session_id: `deep-batch-${i % 10}`, tool_use_id: `toolu_${i}` });
        const reply = await fetch(`${stack.url}/v1/hooks/claude-code`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": `deep-${i}` },
          body,
        });
        await reply.text();
        return reply.status;
      }),
    );
    expect(replies.filter((s) => s === 202)).toHaveLength(98);
    expect(replies[50]).toBe(400);
    await waitFor(
      async () =>
        (await prisma.event.count({ where: { sessionId: { startsWith: "deep-batch-" } } })) === 98 ? true : undefined,
      { timeoutMs: 15_000, what: "the 98 applied" },
    );
    printFigures("1 deep + 98 valid hook POSTs at once", {
      sent: 99,
      accepted: replies.filter((s) => s === 202).length,
      "400": replies.filter((s) => s === 400).length,
      "503": replies.filter((s) => s === 503).length,
      applied: 98,
      lost: 0,
    });
  });
});

describe("EventEnqueuer (real Redis)", () => {
  let redis: Redis;
  let queue: Queue;
  beforeAll(() => {
    redis = new Redis(stack.env.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    queue = new Queue(`${QUEUE_NAMES.events}-enqueuer-test`, { connection: redis, prefix: stack.env.redisPrefix });
  });
  afterAll(async () => {
    await queue.close();
    await redis.quit();
  });

  let seq = 0;
  function event(payload: unknown): NormalizedEvent {
    const input = eventInputSchema.parse({ session_id: "enqueuer", source: "fault-test", kind: "tool" });
    return {
      ...buildEvent(input, mapEventInput(input), { key: `q${++seq}`, receivedMs: Date.now(), host: null }, input),
      payload,
    };
  }

  it("a request whose own events fail the shared write fails alone: the others sharing it are written, and it is not called an outage", async () => {
    await waitFor(() => redis.status === "ready", { what: "redis" });
    const enqueuer = new EventEnqueuer(queue);
    // Deeper than anything can encode (past the edge's check: an event built in-process). Sized by
    // its body, as ingest's routes do, so it joins the others' write instead of failing on its own.
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => enqueuer.enqueue([event(i === 17 ? deep : { n: i })], 100)),
    );
    const rejected = results.flatMap((r, i) => (r.status === "rejected" ? [[i, r.reason] as const] : []));
    expect(rejected.map(([i]) => i)).toEqual([17]);
    expect(isQueueOutage(rejected[0][1])).toBe(false);
    const jobs = await queue.getJobs(["wait"], 0, -1);
    expect(
      jobs
        .flatMap((j) => j.data.events.map((e: NormalizedEvent) => (e.payload as { n: number }).n))
        .sort((a: number, b: number) => a - b),
    ).toEqual([...Array(40).keys()].filter((i) => i !== 17));
    await enqueuer.close();
  });
});
