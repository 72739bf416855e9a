// Notifications' benchmark: event → webhook delivered. Runs the built ingest and reaper as
// processes on a database and Redis prefix of their own, a webhook channel with settle 0 pointing at
// a local receiver that timestamps each arrival; prints p50/p99 and removes what it created.
//
//   node bench/notify.mjs [--waits 200] [--every-ms 25]
import { spawn } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { arg, benchResources, fmt, freePort, percentile, root, waitFor } from "./lib.mjs";

const require = createRequire(import.meta.url);
const WAITS = arg("waits", 200);
/** One wait every this many ms (an open loop): latency, not a burst's queueing. */
const EVERY_MS = arg("every-ms", 25);

const resources = benchResources("notify");
const { databaseUrl: dbUrl, redisUrl, redisPrefix: prefix } = resources;
const line = (label, value, target = "") =>
  console.log(`  ${label.padEnd(52)} ${String(value).padStart(14)}  ${target}`);

const children = [];
function startApp(app, env) {
  const child = spawn(process.execPath, [`${root}apps/${app}/dist/main.js`], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

const db = new pg.Client({ connectionString: dbUrl });
/** Session id → when its wait's event was posted, and when its delivery arrived. */
const posted = new Map();
const arrived = new Map();
let duplicates = 0;
const receiver = http.createServer((req, res) => {
  let text = "";
  req.on("data", (d) => (text += d));
  req.on("end", () => {
    const at = performance.timeOrigin + performance.now();
    const id = JSON.parse(text).session?.id;
    if (arrived.has(id)) duplicates++;
    else arrived.set(id, at);
    res.writeHead(200).end("ok");
  });
});

async function cleanup() {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on("exit", r)) : null)));
  receiver.close();
  await db.end().catch(() => {});
  await resources.remove();
}

async function main() {
  console.log(
    `Pulse notifications benchmark — ${new Date().toISOString()} — node ${process.version}, ${require("node:os").cpus().length} cores`,
  );
  resources.create();
  await db.connect();
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `http://127.0.0.1:${receiver.address().port}/hook`;
  await db.query(
    `INSERT INTO notification_channels (id, name, type, url, settle_seconds, updated_at) VALUES ('ch_bench', 'bench', 'webhook', $1, 0, now())`,
    [hook],
  );
  const port = await freePort();
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    PULSE_REDIS_PREFIX: prefix,
    INGEST_PORT: String(port),
    LOG_LEVEL: "warn",
    SESSION_STALE_TIMEOUT_MINUTES: "100000",
  };
  startApp("ingest", env);
  startApp("reaper", env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, "ingest ready", 30_000, 50);

  console.log(`\n${fmt(WAITS)} permission waits, one every ${EVERY_MS} ms, settle 0, one webhook channel`);
  const start = performance.now();
  const sends = [];
  for (let i = 0; i < WAITS; i++) {
    const wait = start + i * EVERY_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = `bench-wait-${i}`;
    const at = performance.timeOrigin + performance.now();
    posted.set(id, at);
    sends.push(
      fetch(`${url}/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          session_id: id,
          source: "bench",
          kind: "attention",
          waiting_reason: "permission",
          time: at,
        }),
      }).then(async (r) => {
        if (r.status !== 202) throw new Error(`refused: ${r.status} ${await r.text()}`);
      }),
    );
  }
  await Promise.all(sends);
  await waitFor(() => arrived.size >= WAITS, "every delivery", 120_000, 20);
  await new Promise((r) => setTimeout(r, 2000));
  const latencies = [...posted].map(([id, at]) => arrived.get(id) - at).sort((a, b) => a - b);
  line("event POSTed → webhook received, p50", `${fmt(percentile(latencies, 50))} ms`, "sweep every 1 s");
  line("p99", `${fmt(percentile(latencies, 99))} ms`);
  line("max", `${fmt(latencies[latencies.length - 1])} ms`);
  line("deliveries received / duplicates", `${fmt(arrived.size)} / ${duplicates}`);
  // Where the time goes: the wait's event until the sweep recorded its row, the row until it was delivered.
  const { rows: parts } = await db.query(`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM d.created_at - d.wait_start) * 1000) AS found,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM d.delivered_at - d.created_at) * 1000) AS sent,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM s.created_at - d.wait_start) * 1000) AS applied
    FROM notification_deliveries d JOIN sessions s ON s.id = d.session_id`);
  line("of which: event → applied in Postgres, p50", `${fmt(parts[0].applied)} ms`);
  line("of which: event → row recorded by the sweep, p50", `${fmt(parts[0].found)} ms`);
  line("of which: row recorded → delivered, p50", `${fmt(parts[0].sent)} ms`);
  const { rows } = await db.query("SELECT status, count(*)::int AS n FROM notification_deliveries GROUP BY status");
  line("rows", rows.map((r) => `${r.status} ${r.n}`).join(", "));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
