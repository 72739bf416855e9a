#!/usr/bin/env node
// Posts a believable day of agent sessions to an ingest API, for trying the dashboard (and for its
// screenshots). Usage: node apps/web/scripts/seed-demo.mjs [INGEST_URL] [count]
// Env: PULSE_TOKEN when ingest needs one. Times are in the past (X-Pulse-Event-Time semantics via
// the `time` field), so the reaper times out whatever was left open for longer than its timeout.

const ingestUrl = (process.argv[2] ?? process.env.INGEST_URL ?? "http://127.0.0.1:6820").replace(/\/+$/, "");
const count = Number(process.argv[3] ?? 40);

const PROJECTS = ["acme-api", "web-shop", "infra", "mobile-app", "docs-site"];
const SOURCES = ["claude-code", "claude-code", "claude-code", "codex", "gemini"];
const HOSTS = ["dev-laptop", "build-box", "dev-laptop"];
const PROMPTS = [
  "Fix the flaky retry test in src/queue/retry.test.ts and explain the root cause",
  "Add pagination to the orders endpoint",
  "Why does the Terraform plan want to recreate the load balancer?",
  "Upgrade React Native to 0.76 and fix the build",
  "Write the getting-started page for the CLI",
  "Refactor the checkout flow into smaller components",
  "Find the memory leak in the websocket gateway",
];
const TOOLS = [
  ["Bash", "npm test"],
  ["Read", "src/index.ts"],
  ["Edit", "src/orders/list.ts"],
  ["Grep", "TODO"],
  ["Bash", "terraform plan"],
];

const MINUTE = 60_000;
let seed = 42;
/** Same believable content every time, new session ids each run (so a second run adds sessions). */
const run = Math.random().toString(36).slice(2, 8);
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (list) => list[Math.floor(random() * list.length)];

/** One session's events: start, a few turns of prompt → tools → turn end, then maybe an end. */
function sessionEvents(i, now) {
  const id = `demo-${String(i).padStart(4, "0")}-${run}`;
  const project = PROJECTS[i % PROJECTS.length];
  const base = {
    session_id: id,
    source: SOURCES[i % SOURCES.length],
    project,
    cwd: `/home/dev/${project}`,
    host: pick(HOSTS),
  };
  // Most recent sessions are the live ones; older ones spread over the day.
  const recent = i < 6;
  let t = recent ? now - (2 + random() * 20) * MINUTE : now - (30 + random() * 22 * 60) * MINUTE;
  const events = [{ ...base, kind: "start", name: "SessionStart", time: t }];
  const turns = 1 + Math.floor(random() * 3);
  for (let turn = 0; turn < turns; turn++) {
    t += (0.2 + random()) * MINUTE;
    events.push({ ...base, kind: "prompt", name: "UserPromptSubmit", detail: pick(PROMPTS), time: t });
    for (let k = 0; k < 2 + Math.floor(random() * 5); k++) {
      const [tool, detail] = pick(TOOLS);
      t += random() * 0.6 * MINUTE;
      events.push({ ...base, kind: "tool", name: "PreToolUse", tool, detail, time: t });
    }
    t += random() * 0.5 * MINUTE;
    if (!(recent && turn === turns - 1)) events.push({ ...base, kind: "turn_end", name: "Stop", time: t });
  }
  const fate = recent ? i % 3 : i % 4;
  if (recent && fate === 1)
    events.push({
      ...base,
      kind: "attention",
      name: "Notification",
      waiting_reason: "permission",
      detail: "Claude needs your permission to use Bash",
      time: (t += 5000),
    });
  if (recent && fate === 2) events.push({ ...base, kind: "turn_end", name: "Stop", time: (t += 5000) });
  if (!recent && fate === 0)
    events.push({ ...base, kind: "end", name: "SessionEnd", detail: "exit", time: (t += 20_000) });
  if (!recent && fate === 1)
    events.push({ ...base, kind: "end", name: "exit", end_reason: "process_exit", time: t + 20_000 });
  // fate 2 and 3 of the old ones stay open: the reaper times them out.
  return events.map((e) => ({ ...e, time: new Date(Math.min(e.time, now)).toISOString() }));
}

const now = Date.now();
const events = [];
for (let i = 0; i < count; i++) events.push(...sessionEvents(i, now));
for (let start = 0; start < events.length; start += 1000) {
  const response = await fetch(`${ingestUrl}/v1/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(process.env.PULSE_TOKEN ? { authorization: `Bearer ${process.env.PULSE_TOKEN}` } : {}),
    },
    body: JSON.stringify(events.slice(start, start + 1000)),
  });
  if (!response.ok) {
    console.error(`ingest answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
}
console.log(`posted ${events.length} events of ${count} sessions to ${ingestUrl}`);
