// Redaction benchmark: what redacting costs ingest per request, for realistic events with and without
// secrets: a Claude Code Bash PostToolUse carrying 5 KB of tool output, a UserPromptSubmit prompt, and
// a real OTLP logs export (Claude Code's, 30 records). In-process, on the built ingest (no I/O: the
// cost is CPU on ingest's event loop). Figures, not pass/fail.
//
//   npm run build -w @pulse/ingest && node bench/redact.mjs [--runs 3000]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { arg, fmt, percentile, root } from "./lib.mjs";

const require = createRequire(import.meta.url);
const core = require(`${root}packages/core/dist/index.js`);
const { createRedactor } = require(`${root}apps/ingest/dist/redact/redactor.js`);
const RUNS = arg("runs", 3000);
const fixture = (path) => JSON.parse(readFileSync(`${root}../shared/fixtures/real/${path}`, "utf8"));

const SECRETS = {
  anthropic:
    "sk-ant-api03-" +
    "Zx9Kq2Lm7Np4Rs1Tv8Wy3Ab6Cd0Ef5Gh2Ij9Kl4Mn7Op1Qr8St3Uv6Wx0Yz5Ab2Cd9Ef4Gh7Ij1Kl8Mn3Op6Qr0St5Uv2Wx" +
    "AA",
  github: "ghp_" + "Zx9Kq2Lm7Np4Rs1Tv8Wy3Ab6Cd0Ef5Gh2Ij9K",
  aws: "AKIA" + "Z7QK2LMN4PRS8TVW",
};

// 5 KB of ordinary `ls -l`/build output: paths, sizes, dates, hashes.
const lines = [];
for (let i = 0; lines.join("\n").length < 5000; i++) {
  lines.push(
    `-rw-r--r--  1 dev dev ${(1000 + i * 37) % 9000} Jan ${1 + (i % 28)} 10:${String(i % 60).padStart(2, "0")} src/components/session-row-${i}.tsx  ${(0x9f3a2c1 * (i + 1)).toString(16).padStart(12, "0")}`,
  );
}
const output = lines.join("\n").slice(0, 5000);
const withSecrets = `${output.slice(0, 2000)}\nGITHUB_TOKEN=${SECRETS.github}\nexport AWS_ACCESS_KEY_ID=${SECRETS.aws}\n${output.slice(2000, 4800)}`;

const hook = (body) => {
  const agent = core.agentById("claude-code");
  const mapped = agent.mapHook(body);
  return [
    core.buildEvent(
      { session_id: body.session_id, source: "claude-code", cwd: body.cwd },
      mapped,
      { key: "k", receivedMs: Date.now(), host: null },
      body,
    ),
  ];
};
const bash = (command, stdout) => {
  const body = fixture("claude-code-2.1.197/hooks/PostToolUse-Bash.json");
  body.tool_input.command = command;
  body.tool_response.stdout = stdout;
  return hook(body);
};
const prompt = (text) => hook({ ...fixture("claude-code-2.1.197/hooks/UserPromptSubmit.json"), prompt: text });
const otlp = (secret) => {
  const body = fixture("claude-code-2.1.197/otlp/body-logs.json");
  if (secret) {
    // A tool_result record whose output leaked a key, as Claude Code logs it with OTEL_LOG_TOOL_DETAILS.
    body.resourceLogs[0].scopeLogs[0].logRecords[0].attributes.push({
      key: "tool_output",
      value: { stringValue: `curl -H "Authorization: Bearer ${SECRETS.anthropic}" https://api.anthropic.com` },
    });
  }
  return core
    .mapOtlpLogs(body)
    .events.map((e, i) =>
      core.buildEvent(
        { session_id: e.sessionId, source: e.source, host: e.host, project: e.project },
        e.mapped,
        { key: `otel-${i}`, receivedMs: Date.now(), host: null },
        e.raw,
      ),
    );
};

const cases = [
  ["Bash PostToolUse, 5 KB output, no secret", bash("ls -l src/components", output)],
  [
    "Bash PostToolUse, 5 KB output, 2 secrets",
    bash(`curl -H "Authorization: token ${SECRETS.github}" https://api.github.com/user`, withSecrets),
  ],
  [
    "UserPromptSubmit prompt, no secret",
    prompt("Refactor the session list so ended sessions sort after live ones, and add a test for it."),
  ],
  [
    "UserPromptSubmit prompt, 1 secret",
    prompt(`Use this key to call the API: ${SECRETS.anthropic} and tell me what it returns.`),
  ],
  ["OTLP logs export (Claude Code, real), no secret", otlp(false)],
  ["OTLP logs export (Claude Code, real), 1 secret", otlp(true)],
];

const redactor = await createRedactor({ enabled: true, extraPatterns: [] });
console.log(`redaction cost per request (${RUNS} runs each, after 200 warm-up), µs`);
console.log(
  `  ${"case".padEnd(52)} ${"events".padStart(6)} ${"median".padStart(8)} ${"p99".padStart(8)} ${"per event".padStart(10)}`,
);
for (const [label, events] of cases) {
  const samples = [];
  for (let i = 0; i < RUNS + 200; i++) {
    const t = performance.now();
    const out = await redactor.redactEvents(events);
    const us = (performance.now() - t) * 1000;
    if (i >= 200) samples.push(us);
    if (
      i === 0 &&
      label.includes("secret") &&
      !label.includes("no secret") &&
      JSON.stringify(out) === JSON.stringify(events)
    )
      throw new Error(`${label}: nothing redacted`);
  }
  samples.sort((a, b) => a - b);
  const median = percentile(samples, 50);
  console.log(
    `  ${label.padEnd(52)} ${String(events.length).padStart(6)} ${fmt(median, 1).padStart(8)} ${fmt(percentile(samples, 99), 1).padStart(8)} ${fmt(median / events.length, 1).padStart(10)}`,
  );
}
