// The spine's benchmark: ingest → queue → worker → Postgres, and the reaper's sweep.
// Runs the built apps as separate processes on a database and Redis prefix of its own, prints
// figures, and removes what it created. Figures, not pass/fail: compare them with the targets.
//
//   node bench/spine.mjs [--events 100000] [--sessions 1000] [--seconds 10]
import { spawn } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { arg, benchResources, fmt, freePort, percentile, root, waitFor } from "./lib.mjs";

const require = createRequire(import.meta.url);
const EVENTS = arg("events", 100_000);
const SESSIONS = arg("sessions", 1_000);
const SECONDS = arg("seconds", 10);
const SWEEP_SESSIONS = arg("sweep-sessions", 100_000);
/** Reaper processes (each runs the events worker): the worker scales by processes, not threads. */
const WORKERS = arg("workers", 1);

const resources = benchResources("spine");
const { databaseUrl: dbUrl, redisUrl, redisPrefix: prefix } = resources;

const line = (label, value, target = "") =>
  console.log(`  ${label.padEnd(52)} ${String(value).padStart(14)}  ${target}`);

const children = [];
function startApp(app, env) {
  const profile = process.env.BENCH_PROFILE_DIR
    ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`, `--cpu-prof-name=${app}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...profile, `${root}apps/${app}/dist/main.js`], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

const db = new pg.Client({ connectionString: dbUrl });
const appliedEvents = async () => Number((await db.query("SELECT count(*) FROM events")).rows[0].count);

async function cleanup() {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on("exit", r)) : null)));
  await db.end().catch(() => {});
  await resources.remove();
}

async function main() {
  console.log(
    `Pulse spine benchmark — ${new Date().toISOString()} — node ${process.version}, ${require("node:os").cpus().length} cores, ${WORKERS} worker process(es)`,
  );
  resources.create();
  await db.connect();

  const port = await freePort();
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    PULSE_REDIS_PREFIX: prefix,
    INGEST_PORT: String(port),
    LOG_LEVEL: "warn",
    // The sweep is measured on its own below; here it must not end the sessions being written.
    SESSION_STALE_TIMEOUT_MINUTES: "100000",
  };
  startApp("ingest", env);
  for (let i = 0; i < WORKERS; i++) startApp("reaper", env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, "ingest ready", 30_000, 50);

  // 1. Batched: EVENTS events over SESSIONS sessions, 1000 per POST, 4 in flight.
  console.log(
    `\n1. /v1/events batches: ${fmt(EVENTS)} events over ${fmt(SESSIONS)} sessions, 1000 per request, 4 requests in flight`,
  );
  const base = Date.now() - 3600_000;
  const kinds = ["prompt", "tool", "tool", "tool", "activity", "turn_end"];
  const batches = [];
  for (let offset = 0; offset < EVENTS; offset += 1000) {
    const batch = [];
    for (let i = offset; i < Math.min(EVENTS, offset + 1000); i++) {
      batch.push({
        session_id: `bench-${i % SESSIONS}`,
        source: "bench",
        kind: kinds[i % kinds.length],
        id: `b${i}`,
        time: base + i,
        cwd: `/bench/project-${i % 20}`,
        detail: "bench event",
      });
    }
    batches.push(JSON.stringify(batch));
  }
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches.length) {
        const body = batches[next++];
        const reply = await fetch(`${url}/v1/events`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        });
        if (reply.status !== 202) throw new Error(`batch refused: ${reply.status} ${await reply.text()}`);
      }
    }),
  );
  const acceptedMs = performance.now() - t0;
  await waitFor(async () => (await appliedEvents()) >= EVENTS, "batched events applied", 300_000, 50);
  const batchedMs = performance.now() - t0;
  line("accepted by ingest", `${fmt(EVENTS / (acceptedMs / 1000))} ev/s`);
  line("end to end (POST → applied in Postgres)", `${fmt(EVENTS / (batchedMs / 1000))} ev/s`, "target ≥ 10,000 ev/s");
  line("wall time", `${fmt(batchedMs / 1000, 2)} s`);

  // 2. Single Claude Code hook POSTs, as fast as ingest takes them.
  console.log(`\n2. single POST /v1/hooks/claude-code, ${SECONDS} s, 64 connections`);
  const before = await appliedEvents();
  const hookBody = (n) =>
    JSON.stringify({
      session_id: `hook-${n % SESSIONS}`,
      transcript_path: "/tmp/t.jsonl",
      cwd: "/bench/hooks",
      permission_mode: "default",
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: "npm test" },
      tool_response: { stdout: "ok" },
      tool_use_id: `toolu_${n}`,
    });
  let counter = 0;
  const single = await autocannon({
    url: `${url}/v1/hooks/claude-code`,
    method: "POST",
    connections: 64,
    duration: SECONDS,
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: hookBody(counter),
          headers: { ...req.headers, "idempotency-key": `h${counter++}` },
        }),
      },
    ],
  });
  const accepted = single["2xx"];
  const t1 = performance.now();
  await waitFor(async () => (await appliedEvents()) >= before + counter, "hook events applied", 300_000, 50);
  const drainMs = performance.now() - t1;
  line("accepted (202)", `${fmt(accepted / (single.duration || SECONDS))} req/s`, "target ≥ 5,000 req/s");
  line("non-2xx / errors / timeouts", `${single.non2xx} / ${single.errors} / ${single.timeouts}`);
  line("latency p50 / p99 under this load", `${single.latency.p50} / ${single.latency.p99} ms`);
  line("backlog drained after the run", `${fmt(drainMs / 1000, 2)} s`);
  // autocannon counts answers within the window; requests still in flight when it stopped were
  // answered later, and every request carried its own idempotency key.
  line("applied exactly once (one per request sent)", `${fmt((await appliedEvents()) - before)} of ${fmt(counter)}`);

  // 3. Latency at a steady 1,000 POSTs/s: an open loop (one request every millisecond on schedule,
  // whatever the answers do), so a slow answer cannot hide the ones queued behind it.
  console.log(`\n3. latency at 1,000 single hook POSTs/s (open loop), ${SECONDS} s`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const post = (n) =>
    new Promise((resolve) => {
      const body = hookBody(n);
      const started = process.hrtime.bigint();
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/v1/hooks/claude-code",
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "idempotency-key": `h${n}`,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode }));
        },
      );
      req.on("error", () => resolve({ ms: Infinity, status: 0 }));
      req.end(body);
    });
  const answers = [];
  const loopStart = performance.now();
  for (let i = 0; i < SECONDS * 1000; i++) {
    const wait = loopStart + i - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    answers.push(post(counter++));
  }
  const settled = await Promise.all(answers);
  const rate = settled.length / ((performance.now() - loopStart) / 1000);
  const latencies = settled.map((a) => a.ms).sort((a, b) => a - b);
  const q = (p) => percentile(latencies, p * 100);
  line("sent", `${fmt(rate)} req/s`);
  line("latency p50", `${fmt(q(0.5), 1)} ms`);
  line("latency p90", `${fmt(q(0.9), 1)} ms`);
  line("latency p99", `${fmt(q(0.99), 1)} ms`, "target < 20 ms");
  line("non-202 answers", `${settled.filter((a) => a.status !== 202).length}`);
  agent.destroy();

  // 4. The reaper's sweep over SWEEP_SESSIONS live sessions.
  console.log(`\n4. reaper sweep over ${fmt(SWEEP_SESSIONS)} live sessions`);
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.on("exit", r) : r()))));
  children.length = 0;
  const now = Date.now();
  await db.query(
    `INSERT INTO sessions (id, source, status, started_at, last_event_at, status_at, event_count, updated_at)
     SELECT 'sweep-' || g, 'bench', CASE WHEN g % 3 = 0 THEN 'waiting' ELSE 'active' END,
            to_timestamp(($1::float8 - 3600000 - g) / 1000), to_timestamp(($1::float8 - 600000 - g) / 1000),
            to_timestamp(($1::float8 - 600000 - g) / 1000), 1, now()
     FROM generate_series(1, $2::int) AS g`,
    [now, SWEEP_SESSIONS],
  );
  await db.query("ANALYZE sessions");
  const { createPrismaClient } = require(`${root}packages/db/dist/index.js`);
  const { reapStaleSessions, listSessions } = require(`${root}packages/sessions/dist/index.js`);
  // The reaper's own default bound per sweep.
  const BATCH = require(`${root}apps/reaper/dist/config.js`).loadReaperConfig({}).REAPER_BATCH_SIZE;
  const prisma = createPrismaClient(dbUrl);
  await prisma.$queryRaw`SELECT 1`;
  let t;
  // Lists sort by last activity without an index (so event writes stay cheap): what a page costs.
  for (const [label, filter] of [
    ["all", {}],
    ["open", { statuses: ["active", "waiting"] }],
  ]) {
    await listSessions(prisma, { limit: 50, ...filter });
    t = performance.now();
    await listSessions(prisma, { limit: 50, ...filter });
    line(
      `first page of sessions (${label}), ${fmt(SWEEP_SESSIONS)}+ in the table`,
      `${fmt(performance.now() - t, 1)} ms`,
    );
  }
  // Nothing stale yet (timeout 1 h; the last events are 10 min old): the tick every 30 s costs this.
  t = performance.now();
  const none = await reapStaleSessions(prisma, { cutoffMs: now - 3600_000, limit: BATCH });
  line(
    `tick with nothing stale (${fmt(SWEEP_SESSIONS)} live)`,
    `${fmt(performance.now() - t, 1)} ms`,
    `ended ${none.length}`,
  );
  // A tenth of them stale (cutoff between their last events): what a busy tick looks like.
  t = performance.now();
  const tenth = await reapStaleSessions(prisma, { cutoffMs: now - 600_000 - SWEEP_SESSIONS * 0.9, limit: BATCH });
  line(`tick with ${fmt(tenth.length)} of them stale`, `${fmt(performance.now() - t, 0)} ms`);
  // All of them stale (timeout 5 min), as after a long outage: sweeps of the default bound until none is left.
  t = performance.now();
  const first = await reapStaleSessions(prisma, { cutoffMs: now - 300_000, limit: BATCH });
  const firstMs = performance.now() - t;
  let total = first.length;
  let rounds = 1;
  for (;;) {
    const more = await reapStaleSessions(prisma, { cutoffMs: now - 300_000, limit: BATCH });
    if (more.length === 0) break;
    total += more.length;
    rounds++;
  }
  const allMs = performance.now() - t;
  line(`one sweep (bound ${fmt(BATCH)}), all stale`, `${fmt(firstMs, 0)} ms`, "target < 1 s");
  line(`all ${fmt(total + tenth.length)} stale ended: ${rounds} more sweeps`, `${fmt(allMs, 0)} ms`);
  await prisma.$disconnect();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
