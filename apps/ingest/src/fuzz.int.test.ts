/**
 * Pulse issue 10, item 4: a fuzzer over every route ingest registered (Nest's, the queue board's,
 * the automatic HEADs), on the real stack (Postgres, Redis, workers). Generated with fast-check:
 * bodies shaped like each route's input and made wrong (hostile values, `__proto__` keys, huge
 * numbers, lone surrogates, NUL), protobuf and gzip garbage, zip bombs, deep nesting, hostile paths,
 * query strings and headers, and raw HTTP that is not HTTP. Promises checked on every answer: never
 * a 5xx, never a hang, every answer within ANSWER_BOUND_MS, every /v1 refusal `{error, message}`;
 * and afterwards a normal event is still applied and no job failed.
 *
 * PULSE_FUZZ_RUNS scales the number of runs per route (default 1: a CI-sized run); the figures are
 * printed at the end.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import fc from "fast-check";
import { Redis } from "ioredis";
import { waitFor } from "../../../test/env";
import { bodyFrom, type FuzzBody, genericBody, gzipBomb, protobufBody } from "../../../test/fuzz/bodies";
import { FuzzFigures } from "../../../test/fuzz/figures";
import {
  fillPattern,
  hostileHeaders,
  hostileQuery,
  malformedHttp,
  type RouteRequest,
  toFuzzRequest,
} from "../../../test/fuzz/requests";
import { type FuzzReply, type FuzzRequest, send } from "../../../test/fuzz/send";
import { hostileUrlPart } from "../../../test/fuzz/values";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";

const TOKEN = "fuzz-token";
/** Every answer to a whole request comes within this (the issue's hangs were 8–15 s and more). */
const ANSWER_BOUND_MS = 2_000;
/** A request the client never finishes is given up on by the server within this. */
const UNFINISHED_BOUND_MS = 20_000;
const SCALE = Number(process.env.PULSE_FUZZ_RUNS ?? 1);
const COLLECT = process.env.PULSE_FUZZ_COLLECT === "1";
const FIXTURES = path.join(__dirname, "../../../test/fixtures/real");

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => readJson(path.join(dir, f)));
const HOOKS: Record<string, unknown[]> = {
  "claude-code": jsonFiles(path.join(FIXTURES, "claude-code-2.1.197/hooks")),
  codex: [
    ...jsonFiles(path.join(FIXTURES, "codex-0.171.0/hooks")),
    ...jsonFiles(path.join(FIXTURES, "codex-0.171.0/notify")),
  ],
  gemini: jsonFiles(path.join(FIXTURES, "gemini-0.61.0/hooks")),
};
const OTLP_JSON = {
  logs: [
    readJson(path.join(FIXTURES, "claude-code-2.1.197/otlp/body-logs.json")),
    readJson(path.join(FIXTURES, "codex-0.171.0/otlp/body-00240-logs.json")),
    readJson(path.join(FIXTURES, "gemini-0.61.0/otlp/body-00307-logs.json")),
  ],
  traces: [readJson(path.join(FIXTURES, "gemini-0.61.0/otlp/body-00306-traces.json"))],
  metrics: [readJson(path.join(FIXTURES, "claude-code-2.1.197/otlp/body-metrics.json"))],
};
const OTLP_PB = [
  readFileSync(path.join(FIXTURES, "claude-code-2.1.197/otlp/body-logs.pb")),
  readFileSync(path.join(FIXTURES, "codex-0.171.0/otlp/body-00254-logs.pb")),
  readFileSync(path.join(FIXTURES, "claude-code-2.1.197/otlp/body-metrics.pb")),
];

/** Sessions that exist before the fuzz starts, so lookups by id, close and cleanup find something. */
const SEEDED = ["fuzz-seeded-1", "fuzz-seeded-2"];
const EVENTS = [
  {
    session_id: SEEDED[0],
    source: "fuzz",
    kind: "tool",
    name: "Bash",
    tool: "Bash",
    detail: "ls -la",
    time: "2026-11-21T10:00:00Z",
    id: "fz-1",
    cwd: "/home/dev/p",
    project: "p",
    host: "h",
    title: "t",
    attributes: { a: 1 },
  },
  { session_id: SEEDED[1], source: "fuzz", kind: "attention", waiting_reason: "permission", time: Date.now() },
  { session_id: "fuzz-ends", source: "fuzz", kind: "end", end_reason: "process_exit", end_detail: "killed" },
];

const QUEUES = new Set(Object.values(QUEUE_NAMES).map((name) => name.toLowerCase()));

let stack: TestStack;
const figures = new FuzzFigures();
let bombFigure = "";

beforeAll(async () => {
  stack = await startStack({ label: "fuzz", env: { PULSE_TOKEN: TOKEN, SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
  const api = client(stack.url, { authorization: `Bearer ${TOKEN}` });
  for (const id of SEEDED)
    expect(
      (await api.post("/v1/events", { session_id: id, source: "fuzz", kind: "prompt", detail: "seed" })).status,
    ).toBe(202);
  await waitFor(async () => (await api.get(`/v1/sessions/${SEEDED[1]}`)).status === 200, {
    what: "the seeded sessions",
  });
}, 60_000);
afterAll(async () => {
  process.stdout.write(`${figures.table(`ingest fuzz (PULSE_FUZZ_RUNS=${SCALE})`)}\n${bombFigure}\n`);
  if (figures.failures.length)
    process.stdout.write(`${figures.failures.length} failures:\n${figures.failures.slice(0, 200).join("\n")}\n`);
  await stack?.stop();
});

/** What a route takes, shaped (then made wrong by the generators). */
function bodyFor(method: string, url: string, agent?: string): fc.Arbitrary<FuzzBody> {
  if (method === "GET" || method === "HEAD") return genericBody;
  if (url === "/v1/events") return bodyFrom(EVENTS, { arrays: true });
  if (url === "/v1/liveness")
    return bodyFrom([
      { session_id: SEEDED[0], source: "claude-code", time: Date.now() },
      { session_id: "fuzz-alive", source: "codex" },
    ]);
  if (url === "/v1/sessions/cleanup")
    return bodyFrom([
      { older_than_minutes: 600_000, dry_run: true },
      { older_than_minutes: 600_000, dry_run: false, ids: SEEDED },
    ]);
  if (url.startsWith("/v1/hooks/"))
    return bodyFrom(Object.hasOwn(HOOKS, agent ?? "") ? HOOKS[agent!] : HOOKS["claude-code"]);
  const otlp = /^\/v1\/(logs|traces|metrics)$/.exec(url)?.[1] as keyof typeof OTLP_JSON | undefined;
  if (otlp) return fc.oneof(bodyFrom(OTLP_JSON[otlp]), protobufBody(OTLP_PB));
  return genericBody;
}

/** The route groups of the figures. */
function groupOf(url: string): string {
  if (url.startsWith("/queues")) return "queue board";
  if (url.startsWith("/v1/hooks")) return "hooks";
  if (/^\/v1\/(logs|traces|metrics)/.test(url)) return "otlp";
  if (url.startsWith("/v1/sessions")) return "sessions";
  if (url.startsWith("/v1/stats")) return "stats";
  if (url === "/healthz" || url === "/readyz") return "health";
  return url.replace(/^\/v1\//, "").split("/")[0] || url;
}

const WRONG_AUTH = [
  "",
  "Bearer",
  "Bearer ",
  "Bearer wrong",
  `Bearer ${TOKEN}x`,
  `bearer ${TOKEN}`,
  `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`,
  `Bearer ${TOKEN}\u00ff`,
  `Bearer ${"t".repeat(5000)}`,
];
const authHeader = fc.oneof(
  { weight: 9, arbitrary: fc.constant<[string, string][]>([["authorization", `Bearer ${TOKEN}`]]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...WRONG_AUTH).map((v): [string, string][] => (v ? [["authorization", v]] : [])),
  },
);
const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"];

/** A request aimed at one route: its method most of the time, its pattern filled with hostile values. */
function requestFor(route: { method: string; url: string }): fc.Arbitrary<RouteRequest & { auth: [string, string][] }> {
  const param = (name: string) =>
    name === "agent"
      ? fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom("claude-code", "codex", "gemini") },
          { weight: 1, arbitrary: hostileUrlPart },
        )
      : name === "id"
        ? fc.oneof(fc.constantFrom(...SEEDED), hostileUrlPart)
        : // Never a real queue's name: the fuzz must not pause or empty the queue it relies on.
          hostileUrlPart.filter((v) => !QUEUES.has(v.toLowerCase()));
  const method = fc.oneof(
    { weight: 9, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
  );
  const reads = route.method === "GET" || route.method === "HEAD";
  const query = reads
    ? hostileQuery
    : fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: hostileQuery });
  return fc
    .tuple(method, fillPattern(route.url, param), query, hostileHeaders, authHeader)
    .chain(([m, target, q, headers, auth]) => {
      const agent = route.url === "/v1/hooks/:agent" ? target.split("/")[3] : undefined;
      const withBody =
        m !== "GET" && m !== "HEAD"
          ? fc.option(bodyFor(route.method, route.url, agent), { freq: 8, nil: undefined })
          : fc.option(genericBody, { freq: 1, nil: undefined });
      return withBody.map((body) => ({ method: m, target: `${target}${q}`, headers, body, auth }));
    });
}

const describeRequest = (r: FuzzRequest & { label?: string }) =>
  `${r.method} ${JSON.stringify(r.target.slice(0, 300))} ${JSON.stringify(r.headers.map(([k, v]) => `${k}: ${v.slice(0, 80)}`))} body ${r.body?.length ?? 0} bytes ${r.label ?? ""} ${JSON.stringify(r.body?.subarray(0, 200).toString("latin1") ?? "")}`;

/** The promises every answer keeps; a broken one is recorded with its request and fails the property. */
function check(request: FuzzRequest & { label?: string }, reply: FuzzReply, boundMs = ANSWER_BOUND_MS): void {
  const problem = reply.timedOut
    ? "no answer (hang)"
    : reply.status >= 500 || reply.status === 0
      ? `answered ${reply.status || "nothing (connection closed)"}: ${reply.body.slice(0, 300)}`
      : reply.ms > boundMs
        ? `answered ${reply.status} after ${Math.round(reply.ms)} ms (bound ${boundMs} ms)`
        : isV1Refusal(request, reply) && !isApiError(reply)
          ? `answered ${reply.status} without {error, message}: ${reply.body.slice(0, 200)}`
          : null;
  if (problem) {
    figures.failures.push(`${problem} ← ${describeRequest(request)}`);
    // PULSE_FUZZ_COLLECT=1 surveys every failure (no shrinking); by default fast-check shrinks the first.
    if (!COLLECT) throw new Error(`${problem}\n  request: ${describeRequest(request)}`);
  }
}

const isV1Refusal = (request: FuzzRequest, reply: FuzzReply) =>
  reply.status >= 400 &&
  request.method !== "HEAD" &&
  /^\/(v1|healthz|readyz)/.test(request.target) &&
  !request.target.startsWith("/v1/..");
function isApiError(reply: FuzzReply): boolean {
  try {
    const body = JSON.parse(reply.body);
    return typeof body.error === "string" && typeof body.message === "string";
  } catch {
    return false;
  }
}

/** The property for one route: `runs` generated requests, each answered as promised. */
async function fuzzRoute(route: { method: string; url: string }, runs: number) {
  const group = groupOf(route.url);
  await fc.assert(
    fc.asyncProperty(requestFor(route), async (generated) => {
      const request = { ...toFuzzRequest(generated, generated.auth), label: generated.body?.label };
      const reply = await send(stack.url, request, ANSWER_BOUND_MS * 3);
      figures.record(group, reply);
      check(request, reply);
    }),
    { numRuns: runs, endOnFailure: false, verbose: 0 },
  );
}

/** Runs per route: the routes that take agents' bodies get the most. */
function runsFor(route: { method: string; url: string }): number {
  const base = route.url.startsWith("/queues")
    ? 25
    : route.method === "HEAD"
      ? 20
      : route.method === "POST"
        ? 300
        : 120;
  return Math.max(5, Math.round(base * SCALE));
}

describe("every ingest route under fuzzing", () => {
  it("walks every registered route", () => {
    const routes = stack.ingest.routes.map((r) => `${r.method} ${r.url}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        "POST /v1/events",
        "POST /v1/hooks/:agent",
        "POST /v1/logs",
        "POST /v1/traces",
        "POST /v1/liveness",
        "GET /v1/sessions",
        "GET /v1/sessions/:id",
        "POST /v1/sessions/:id/close",
        "GET /v1/stats/timeline",
        "GET /v1/stats/daily",
        "GET /healthz",
      ]),
    );
    expect(routes.some((r) => r.startsWith("GET /queues"))).toBe(true);
  });

  it("answers every generated request with a 2xx–4xx within the bound", async () => {
    const routes = [...new Map(stack.ingest.routes.map((r) => [`${r.method} ${r.url}`, r])).values()];
    for (const route of routes) await fuzzRoute(route, runsFor(route));
    expect(figures.failures.slice(0, 20)).toEqual([]);
    expect(figures.count("5xx") + figures.count("hang") + figures.count("closed")).toBe(0);
  }, 600_000);

  it("answers the traps the issue and earlier runs found with a 4xx, or accepts what it can apply", async () => {
    const api = client(stack.url, { authorization: `Bearer ${TOKEN}` });
    const cursor = (json: string) => Buffer.from(json).toString("base64url");
    const refused: [string, string, unknown?][] = [
      ["GET", "/v1/sessions/%00"],
      ["GET", "/v1/sessions?q=%00"],
      ["POST", "/v1/sessions/a%00b/close"],
      ["GET", `/v1/sessions?cursor=${cursor('[1e308,"x"]')}`],
      ["GET", `/v1/sessions?cursor=${cursor('[-8640000000000000,"x"]')}`],
      ["GET", "/v1/stats/timeline?hours=745"],
      ["GET", "/v1/stats/daily?days=367"],
      ["POST", "/v1/sessions/cleanup", { older_than_minutes: 2 ** 53 + 2 }],
      ["GET", "/queues/api/queues?activeQueue=%25"],
      ["GET", "/queues/api/job-schedulers?queueName=%25ff"],
    ];
    for (const [method, path, body] of refused) {
      const reply = await api.request(method, path, body);
      expect([method, path, reply.status >= 400 && reply.status < 500, typeof reply.body?.message]).toEqual([
        method,
        path,
        true,
        "string",
      ]);
    }
    const answered: [string, string, unknown?][] = [
      ["GET", "/v1/stats/daily?days=366&tz=US/Pacific-New"],
      ["GET", "/v1/stats/cost-by-project?tz=europe/paris"],
      ["GET", "/v1/stats/timeline?hours=743.9999999&buckets=7"],
      [
        "POST",
        "/v1/hooks/claude-code",
        {
          session_id: "trap-notification",
          hook_event_name: "Notification",
          notification_type: "constructor",
          message: "m",
        },
      ],
      ["POST", "/v1/hooks/claude-code", { session_id: "trap-hook-name", hook_event_name: "toString" }],
    ];
    for (const [method, path, body] of answered) {
      const reply = await api.request(method, path, body);
      expect([method, path, reply.status]).toEqual([method, path, method === "GET" ? 200 : 202]);
    }
    expect((await api.get("/v1/stats/daily?days=2&tz=US/Pacific-New")).body.tz).toBe("US/Pacific-New");
    // An OTLP export whose records name sessions no event can have: those records are rejected (as
    // OTLP allows), the valid one beside them applied; none is accepted to fail in the worker.
    const record = (sessionId: string) => ({
      timeUnixNano: String(Date.now() * 1e6),
      body: { stringValue: "claude_code.user_prompt" },
      attributes: [
        { key: "session.id", value: { stringValue: sessionId } },
        { key: "event.name", value: { stringValue: "user_prompt" } },
      ],
    });
    const otlp = await api.post("/v1/logs", {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
          scopeLogs: [{ logRecords: [record("otlp-trap-\u0001"), record("   "), record("otlp-trap-valid")] }],
        },
      ],
    });
    expect(otlp.status).toBe(200);
    expect(otlp.body.partialSuccess.rejectedLogRecords).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await api.get("/v1/sessions/otlp-trap-valid")).status === 200, {
      what: "the valid OTLP record's session",
    });
  });

  it("answers raw malformed HTTP, and gives up on requests that never finish", async () => {
    const { host } = new URL(stack.url);
    const cases = malformedHttp(host, ["/v1/events", "/v1/sessions"]);
    const replies = await Promise.all(
      cases.map(async (c) => ({
        c,
        reply: await send(stack.url, c.request, (c.slow ? UNFINISHED_BOUND_MS : ANSWER_BOUND_MS) + 5_000),
      })),
    );
    const problems: string[] = [];
    for (const { c, reply } of replies) {
      figures.record(c.slow ? "raw http (unfinished)" : "raw http", reply);
      const bound = c.slow ? UNFINISHED_BOUND_MS : ANSWER_BOUND_MS;
      // A request the server cannot read (not HTTP at all) may be answered by closing: that is an
      // answer too, as long as it comes at once. Everything that is HTTP gets a 4xx status.
      if (reply.timedOut || reply.ms > bound || reply.status >= 500)
        problems.push(
          `${c.label}: ${reply.timedOut ? "no answer" : `${reply.status} after ${Math.round(reply.ms)} ms`}`,
        );
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("refuses 50 concurrent zip bombs at the inflated limit, without ballooning", async () => {
    const bomb = gzipBomb(15_000_000);
    const bombed = (target: string, type: string): FuzzRequest => ({
      method: "POST",
      target,
      headers: [
        ["authorization", `Bearer ${TOKEN}`],
        ["content-type", type],
        ["content-encoding", "gzip"],
      ],
      body: bomb,
    });
    let peak = process.memoryUsage().rss;
    const baseline = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      for (const [target, type] of [
        ["/v1/events", "application/json"],
        ["/v1/hooks/claude-code", "application/json"],
        ["/v1/logs", "application/x-protobuf"],
      ]) {
        const replies = await Promise.all(
          Array.from({ length: 50 }, () => send(stack.url, bombed(target, type), ANSWER_BOUND_MS * 5)),
        );
        for (const reply of replies) figures.record("zip bombs ×50", reply);
        expect([target, [...new Set(replies.map((r) => r.status))]]).toEqual([target, [413]]);
        expect(Math.max(...replies.map((r) => r.ms))).toBeLessThan(ANSWER_BOUND_MS * 5);
      }
    } finally {
      clearInterval(sampler);
    }
    // Ingest runs in this process: its memory is this process's.
    bombFigure = `${bomb.length} bytes of gzip inflating to 15 MB, 50 at once per route: answered 413; RSS ${Math.round(baseline / 2 ** 20)} → peak ${Math.round(peak / 2 ** 20)} MiB`;
    // 50 × 15 MB accepted would be 750 MB of buffers alone (the issue saw 1.6 GB).
    expect(peak - baseline).toBeLessThan(400 * 2 ** 20);
  }, 60_000);

  it("still applies a normal event afterwards, and no job failed", async () => {
    const api = client(stack.url, { authorization: `Bearer ${TOKEN}` });
    const id = `after-fuzz-${Date.now()}`;
    expect(
      (await api.post("/v1/events", { session_id: id, source: "fuzz", kind: "prompt", detail: "after the fuzz" }))
        .status,
    ).toBe(202);
    const session = await waitFor(
      async () => {
        const reply = await api.get(`/v1/sessions/${id}`);
        return reply.status === 200 ? reply.body : undefined;
      },
      { what: "the event sent after the fuzz", timeoutMs: 30_000 },
    );
    expect(session).toMatchObject({ status: "active", event_count: 1 });
    const redis = new Redis(stack.env.redisUrl, { maxRetriesPerRequest: 1 });
    const queue = new Queue("events", { connection: redis, prefix: stack.env.redisPrefix });
    try {
      const counts = await queue.getJobCounts("failed", "delayed");
      // An accepted event that cannot be applied: what failed, and the event, for the message.
      const failed = (await queue.getFailed(0, 5)).map(
        (j) => `${j.failedReason} ← ${JSON.stringify(j.data).slice(0, 3000)}`,
      );
      expect({ ...counts, failed }).toEqual({ failed: [], delayed: 0 });
      expect(await queue.isPaused()).toBe(false);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  }, 60_000);
});
