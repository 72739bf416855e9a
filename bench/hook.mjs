// `pulse hook` benchmark: how long an agent waits for Pulse's hook, measured the way Claude Code
// runs it (`sh -c "<installed command>"`, hook JSON on stdin, wait for exit), against the real
// ingest (built app, on a database and Redis prefix of its own). Also: the spool path with ingest
// down (refused) and hung (accepts, never answers), SessionStart (which starts a watcher), the
// watcher's cost while waiting, and kill -9 → ended.
// Figures, not pass/fail: compare them with the targets printed next to them.
//
//   node bench/hook.mjs [--runs 200]
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { arg, benchResources, fmt as format, freePort, percentile, root, waitFor } from "./lib.mjs";

const PULSE_JS = `${root}packages/cli/dist/pulse.js`;
const RUNS = arg("runs", 200);
const WARMUP = 10;

const resources = benchResources("hook");
const { databaseUrl: dbUrl, redisUrl, redisPrefix: prefix } = resources;
const pulseHome = mkdtempSync(join(tmpdir(), "pulse-bench-hook-"));

const fmt = (n, digits = 1) => format(n, digits);
const line = (label, value, target = "") =>
  console.log(`  ${label.padEnd(58)} ${String(value).padStart(24)}  ${target}`);

function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1] };
}
const show = (st) => `${fmt(st.median)} / ${fmt(st.p90)} / ${fmt(st.p99)} / ${fmt(st.max)} ms`;

/** The command `pulse hooks install` writes into Claude Code's settings. */
const installedCommand = `NODE_EXTRA_CA_CERTS= ${process.execPath} ${PULSE_JS} hook`;
const hookPayload = (sessionId, event = "PostToolUse") =>
  JSON.stringify({
    session_id: sessionId,
    transcript_path: "/tmp/t.jsonl",
    cwd: "/bench/hooks",
    permission_mode: "default",
    hook_event_name: event,
    tool_name: "Bash",
    tool_input: { command: "npm test" },
    tool_response: { stdout: "ok" },
    tool_use_id: `toolu_${randomBytes(4).toString("hex")}`,
    ...(event === "SessionStart" ? { source: "startup" } : {}),
  });

/** Runs `command` through sh like an agent does, `runs` times after a warm-up; returns milliseconds. */
function timeRuns(
  command,
  { runs = RUNS, warmup = WARMUP, env = {}, input = () => hookPayload("bench-hook"), home = pulseHome } = {},
) {
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t = performance.now();
    const result = spawnSync("/bin/sh", ["-c", command], {
      input: input(i),
      env: { ...process.env, PULSE_HOME: home, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const ms = performance.now() - t;
    if (result.status !== 0) throw new Error(`hook exited ${result.status}: ${result.stderr}`);
    if (result.stdout.length) throw new Error(`hook wrote to stdout: ${result.stdout}`);
    // Agents show a hook's stderr (Gemini CLI under every hook): the hook logs to $PULSE_HOME/hook.log instead.
    if (result.stderr.length) throw new Error(`hook wrote to stderr: ${result.stderr}`);
    if (i >= warmup) samples.push(ms);
  }
  return { ...summary(samples), samples };
}

/** A hung ingest in a process of its own (spawnSync blocks this one): accepts every connection, never answers. */
async function startBlackHole() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["-e", `require("node:net").createServer(() => {}).listen(${port}, "127.0.0.1", () => console.log("up"))`],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  await new Promise((resolve) => child.stdout.once("data", resolve));
  return `http://127.0.0.1:${port}`;
}

const children = [];
function startApp(app, env) {
  const child = spawn(process.execPath, [`${root}apps/${app}/dist/main.js`], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.on("exit", r)) : null)),
  );
  // Watchers this benchmark started, by their recorded pids only.
  try {
    for (const name of readdirSync(join(pulseHome, "watchers"))) {
      const record = JSON.parse(readFileSync(join(pulseHome, "watchers", name), "utf8"));
      try {
        process.kill(record.watcher_pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  } catch {
    // no watchers directory: none started
  }
  rmSync(pulseHome, { recursive: true, force: true });
  await resources.remove();
}

function procCost(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { rssKb, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

async function main() {
  console.log(
    `pulse hook benchmark — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cores, ${RUNS} runs per row (+${WARMUP} warm-up)`,
  );
  resources.create();
  const port = await freePort();
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    PULSE_REDIS_PREFIX: prefix,
    INGEST_PORT: String(port),
    LOG_LEVEL: "warn",
  };
  startApp("ingest", env);
  startApp("reaper", env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, "ingest ready", 60_000);
  const up = { PULSE_URL: url, PULSE_NO_WATCH: "1" };

  console.log("\n1. run time of one hook, as the agent waits for it (median / p90 / p99 / max)");
  const baseline = timeRuns(`NODE_EXTRA_CA_CERTS= ${process.execPath} -e 0`, { runs: Math.min(RUNS, 100) });
  line("baseline: sh -c 'node -e 0' (node start alone)", show(baseline));
  const hook = timeRuns(installedCommand, { env: up });
  line("pulse hook → ingest (202), as installed", show(hook), "target: median < 60, p99 < 150 ms");
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const withCa = timeRuns(`${process.execPath} ${PULSE_JS} hook`, { env: up, runs: Math.min(RUNS, 100) });
    line("same, keeping NODE_EXTRA_CA_CERTS (why the command clears it)", show(withCa));
  }
  const down = timeRuns(installedCommand, {
    env: { PULSE_URL: "http://127.0.0.1:1", PULSE_NO_WATCH: "1" },
    runs: Math.min(RUNS, 100),
  });
  line("pulse hook, ingest down (refused; event spooled)", show(down), "target: < 1,000 ms always");
  // Every run counted, the first included, on a spool of its own; no watcher runs: a hook that gets
  // no answer within its 50 ms hands the spool to a background delivery, whose failure (seconds
  // later) pauses the hooks; after each cooldown a hook starts a background try.
  const hungHome = mkdtempSync(join(tmpdir(), "pulse-bench-hung-"));
  try {
    const hung = timeRuns(installedCommand, {
      env: { PULSE_URL: await startBlackHole(), PULSE_NO_WATCH: "1" },
      warmup: 0,
      home: hungHome,
    });
    const waited = hung.samples.filter((ms) => ms > hook.median + 40).length;
    line(
      `pulse hook, ingest hung (accepts, never answers), ${hung.samples.length} runs`,
      show(hung),
      "target: p99 ≤ 100 ms",
    );
    line(
      `  runs that waited for the hung ingest (> healthy median + 40 ms)`,
      `${waited} of ${hung.samples.length}`,
      "(until a background try pauses the hooks)",
    );
    line("  the first run (no pause yet: it waits ≤ 50 ms for an answer)", `${fmt(hung.samples[0])} ms`);
  } finally {
    rmSync(hungHome, { recursive: true, force: true });
  }
  // Deliver what the previous row spooled, so later rows measure their own work.
  spawnSync(process.execPath, [PULSE_JS, "spool", "flush"], {
    env: { ...process.env, PULSE_HOME: pulseHome, PULSE_URL: url },
  });

  console.log("\n2. SessionStart: the hook also finds the agent and starts its watcher");
  const agent = spawn("sleep", ["600"]);
  const start = timeRuns(installedCommand, {
    env: { PULSE_URL: url, PULSE_AGENT_PID: String(agent.pid) },
    runs: 10,
    input: (i) => hookPayload(`bench-start-${i}`, "SessionStart"),
  });
  line("SessionStart incl. watcher spawn (10 sessions)", show(start));

  console.log("\n3. a watcher while it waits (one of those above, sampled over 10 s)");
  const watcherPid = await waitFor(() => {
    try {
      const names = readdirSync(join(pulseHome, "watchers"));
      return names.length
        ? JSON.parse(readFileSync(join(pulseHome, "watchers", names[0]), "utf8")).watcher_pid
        : undefined;
    } catch {
      return undefined;
    }
  }, "a watcher");
  const a = procCost(watcherPid);
  await new Promise((r) => setTimeout(r, 10_000));
  const b = procCost(watcherPid);
  const hz = Number(spawnSync("getconf", ["CLK_TCK"]).stdout.toString().trim()) || 100;
  line("resident memory", `${fmt(b.rssKb / 1024)} MiB`);
  line(
    "CPU time used in 10 s",
    `${fmt(((b.cpuTicks - a.cpuTicks) / hz) * 1000, 0)} ms`,
    "(~0: a signal-0 and a /proc read every 0.5 s)",
  );

  console.log("\n4. kill -9 of the agent → session ended (process_exit), 5 agents");
  agent.kill("SIGKILL");
  const latencies = [];
  for (let i = 0; i < 5; i++) {
    const victim = spawn("sleep", ["600"]);
    const sessionId = `bench-kill-${i}`;
    spawnSync("/bin/sh", ["-c", installedCommand], {
      input: hookPayload(sessionId, "SessionStart"),
      env: { ...process.env, PULSE_HOME: pulseHome, PULSE_URL: url, PULSE_AGENT_PID: String(victim.pid) },
    });
    await waitFor(async () => (await fetch(`${url}/v1/sessions/${sessionId}`)).ok, "the session");
    await new Promise((r) => setTimeout(r, 600)); // let the watcher take its first look
    const killedAt = performance.now();
    victim.kill("SIGKILL");
    await waitFor(
      async () => (await (await fetch(`${url}/v1/sessions/${sessionId}`)).json()).end_reason === "process_exit",
      "the session to end",
      10_000,
      10,
    );
    latencies.push(performance.now() - killedAt);
  }
  const kill = summary(latencies);
  line(
    "kill -9 → ended on the API (median / max)",
    `${fmt(kill.median, 0)} / ${fmt(kill.max, 0)} ms`,
    "target < 5,000 ms",
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
