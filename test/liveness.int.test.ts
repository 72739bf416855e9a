// Lifecycle rules 7–9 end to end (real ingest, queue, worker, reaper, Postgres): a live session is
// never ended for being quiet, a stale end lands at the last sign of life, and silence that overlaps
// Pulse's own downtime is not judged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ingestUpSinceKey, QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { createIngestApp } from "../apps/ingest/src/app";
import { loadIngestConfig } from "../apps/ingest/src/config";
import { waitFor } from "./env";
import { client } from "./http";
import { startStack, type TestStack } from "./stack";

const FIXTURES = join(__dirname, "fixtures/real/claude-code-2.1.197/hooks");
const hook = (name: string, session: string) => ({
  ...JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")),
  session_id: session,
});
const TIMEOUT_MS = 3_000;
const vars = { SESSION_STALE_TIMEOUT_MINUTES: String(TIMEOUT_MS / 60_000), REAPER_INTERVAL_SECONDS: "0.2" };

let stack: TestStack;
let api: ReturnType<typeof client>;
let redis: Redis;
let reaperQueue: Queue;

beforeEach(async () => {
  stack = await startStack({ label: "liveness", env: vars });
  api = client(stack.url);
  redis = new Redis(stack.env.redisUrl);
  reaperQueue = new Queue(QUEUE_NAMES.reaper, { connection: redis, prefix: stack.env.redisPrefix });
});
afterEach(async () => {
  await reaperQueue.close();
  await redis.quit();
  await stack.stop();
});

const session = async (id: string) => (await api.get(`/v1/sessions/${id}`)).body;
/** Waits until `n` more sweeps have run: the reaper has had its chance to judge. */
async function sweeps(n: number) {
  const start = (await reaperQueue.getJobCounts("completed")).completed;
  await waitFor(async () => ((await reaperQueue.getJobCounts("completed")).completed >= start + n ? true : undefined), {
    what: `${n} sweeps`,
    timeoutMs: 20_000,
  });
}

describe("POST /v1/liveness", () => {
  it("answers when to send the next proof, and refuses what is not one", async () => {
    const ok = await api.post("/v1/liveness", { session_id: "s", source: "claude-code" });
    expect(ok).toMatchObject({ status: 202, body: { accepted: 1, interval_ms: 1000 } });
    for (const bad of [
      {},
      { session_id: "", source: "x" },
      { session_id: "s" },
      { session_id: "s", source: "x", time: "soon" },
      [],
      '"alive"',
    ]) {
      const reply = await api.post("/v1/liveness", bad);
      expect([reply.status, reply.body.error]).toEqual([400, "invalid_request"]);
      expect(reply.body.message).toEqual(expect.any(String));
    }
  });

  it("never creates a session, never reopens an ended one", async () => {
    await api.post("/v1/liveness", { session_id: "nobody", source: "claude-code" });
    await api.post("/v1/hooks/claude-code", hook("SessionStart-startup", "gone"));
    await api.post("/v1/hooks/claude-code", hook("SessionEnd-prompt_input_exit", "gone"));
    await waitFor(async () => ((await session("gone"))?.status === "ended" ? true : undefined), { what: "the end" });
    await api.post("/v1/liveness", { session_id: "gone", source: "claude-code", time: Date.now() + 1000 });
    await api.post("/v1/hooks/claude-code", hook("Stop", "marker"));
    await waitFor(async () => ((await session("marker"))?.status === "waiting" ? true : undefined), {
      what: "a later event applied",
    });
    expect((await api.get("/v1/sessions/nobody")).status).toBe(404);
    expect(await session("gone")).toMatchObject({ status: "ended", end_reason: "session_end", reopen_count: 0 });
  });
});

describe("a quiet live session (rules 7 and 8)", () => {
  it("stays waiting for 3× the timeout while its watcher proves life, then ends stale at the last proof", async () => {
    await api.post("/v1/hooks/claude-code", hook("SessionStart-startup", "quiet"));
    await api.post("/v1/hooks/claude-code", hook("Stop", "quiet"));
    const until = Date.now() + 3 * TIMEOUT_MS;
    let lastProof = 0;
    while (Date.now() < until) {
      lastProof = Date.now();
      const reply = await api.post("/v1/liveness", { session_id: "quiet", source: "claude-code", time: lastProof });
      await new Promise((r) => setTimeout(r, reply.body.interval_ms));
    }
    await sweeps(2);
    const alive = await session("quiet");
    expect(alive).toMatchObject({ status: "waiting", waiting_reason: "turn_end", reopen_count: 0 });
    expect(Date.parse(alive.alive_at)).toBe(lastProof);
    // The watcher stops (the machine slept, say): after a timeout of silence it is stale, ended at
    // its last proof of life, not at its last event.
    const ended = await waitFor(
      async () => {
        const s = await session("quiet");
        return s.status === "ended" ? s : undefined;
      },
      { what: "the stale end", timeoutMs: 20_000 },
    );
    expect(ended).toMatchObject({ end_reason: "stale", reopen_count: 0, ended_at: new Date(lastProof).toISOString() });
    expect(Date.parse(ended.ended_at)).toBeGreaterThan(Date.parse(ended.last_event_at));
  });
});

describe("Pulse's own downtime (rule 9)", () => {
  it("silence while ingest was down is not judged until ingest has been up a full timeout; the end keeps its true time", async () => {
    await api.post("/v1/hooks/claude-code", hook("SessionStart-startup", "across"));
    await api.post("/v1/hooks/claude-code", hook("Stop", "across"));
    const before = await waitFor(
      async () => {
        const s = await session("across");
        return s?.status === "waiting" ? s : undefined;
      },
      { what: "the turn end" },
    );
    // Ingest goes away; its presence expires (deleted here rather than waited for).
    await stack.ingest.close();
    await redis.del(ingestUpSinceKey(stack.env.redisPrefix));
    await new Promise((r) => setTimeout(r, 2 * TIMEOUT_MS));
    await sweeps(3);
    const config = loadIngestConfig({
      DATABASE_URL: stack.env.databaseUrl,
      REDIS_URL: stack.env.redisUrl,
      PULSE_REDIS_PREFIX: stack.env.redisPrefix,
      ...vars,
    });
    stack.ingest = await createIngestApp(config, { logger: pino({ level: "silent" }) });
    await stack.ingest.app.listen({ host: "127.0.0.1", port: 0 });
    const back = Date.now();
    const again = client(`http://127.0.0.1:${(stack.ingest.app.getHttpServer().address() as { port: number }).port}`);
    // Silent for 2× the timeout, but Pulse could not hear it: still waiting.
    await sweeps(3);
    expect((await again.get("/v1/sessions/across")).body).toMatchObject({ status: "waiting", reopen_count: 0 });
    // A full timeout after ingest is back, it is judged: stale, at its true last event.
    const ended = await waitFor(
      async () => {
        const s = (await again.get("/v1/sessions/across")).body;
        return s.status === "ended" ? s : undefined;
      },
      { what: "the stale end once ingest has been up a timeout", timeoutMs: 20_000 },
    );
    const endedSeenAt = Date.now();
    expect(endedSeenAt - back).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(ended).toMatchObject({ end_reason: "stale", ended_at: before.last_event_at, reopen_count: 0 });
  });
});
