// `pulse status` benchmark: the wall clock of the whole process (spawn to exit), as a shell prompt or
// tmux pays it, with a warm cache ($PULSE_HOME/status.json younger than 5 s, so no refresh starts),
// next to a bare `node -e 0` (what any Node CLI costs here) and to a stale cache (the run also
// starts the detached refresh). Needs no stack: the status line never asks ingest in its own process.
// Figures, not pass/fail: the target is printed next to them.
//
//   node bench/status.mjs [--runs 50]   (each variant interleaved with the others, round by round)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { arg, fmt, percentile, root } from "./lib.mjs";

const PULSE_JS = `${root}packages/cli/dist/pulse.js`;
const RUNS = arg("runs", 50);
const WARMUP = 5;
const home = mkdtempSync(join(tmpdir(), "pulse-bench-status-"));
// Nothing listens there: a refresh started by the stale runs fails at once and records "unreachable".
const url = "http://127.0.0.1:9";
const env = { ...process.env, PULSE_HOME: home, PULSE_URL: url, PULSE_TOKEN: "" };

const writeCache = (ageMs) => {
  const at = Date.now() - ageMs;
  const counts = { working: 2, needs_you: 1, waiting: 3 };
  writeFileSync(join(home, "status.json"), JSON.stringify({ url, checked_at: at, ok_at: at, error: null, counts }));
};

/** Runs each variant once per round, interleaved (the machine's load then weighs on all alike), WARMUP + RUNS rounds. */
function timeAll(variants) {
  const samples = variants.map(() => []);
  for (let i = 0; i < WARMUP + RUNS; i++)
    variants.forEach(({ args, before = () => {} }, v) => {
      before();
      const t = performance.now();
      const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
      const ms = performance.now() - t;
      if (result.status !== 0) throw new Error(`exited ${result.status}: ${result.stderr}`);
      if (i >= WARMUP) samples[v].push(ms);
    });
  return samples.map((list) => {
    const s = list.sort((a, b) => a - b);
    return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] };
  });
}

const row = (label, st, target = "") =>
  console.log(
    `  ${label.padEnd(44)} p50 ${fmt(st.p50, 1).padStart(6)} ms   p95 ${fmt(st.p95, 1).padStart(6)} ms   max ${fmt(st.max, 1).padStart(6)} ms  ${target}`,
  );

try {
  writeCache(0);
  const line = spawnSync(process.execPath, [PULSE_JS, "status"], { env, encoding: "utf8" }).stdout.trim();
  if (line !== "2 working · 1 needs you · 3 waiting") throw new Error(`unexpected line "${line}"`);
  console.log(
    `pulse status, ${RUNS} runs each after ${WARMUP} warm-up (${cpus().length} CPUs, load ${loadavg()[0].toFixed(1)})`,
  );
  const [node, warm, json, stale] = timeAll([
    { args: ["-e", "0"] },
    { args: [PULSE_JS, "status"], before: () => writeCache(1_000) },
    { args: [PULSE_JS, "status", "--json"], before: () => writeCache(1_000) },
    { args: [PULSE_JS, "status"], before: () => writeCache(60_000) },
  ]);
  row("node -e 0 (any Node process)", node);
  row("pulse status (warm cache)", warm, "target ≤ 50 ms");
  row("pulse status --json (warm cache)", json);
  row("pulse status (stale cache: starts a refresh)", stale);
  // Node's own start-up is most of it, and varies with the machine's load: what status adds to it.
  console.log(`  pulse status's own cost over node -e 0 (p50): ${fmt(warm.p50 - node.p50, 1)} ms`);
} finally {
  // The last refresh a stale run started may still be writing its cache.
  await new Promise((r) => setTimeout(r, 1_000));
  rmSync(home, { recursive: true, force: true });
}
