import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";
import { otlpMessages } from "./otlp/protobuf";

const FIXTURES = join(__dirname, "../../../test/fixtures");
const fixture = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));
/** A fixture with its session id replaced, so tests do not share sessions. */
const withSession = (path: string, from: string, to: string) =>
  JSON.parse(readFileSync(join(FIXTURES, path), "utf8").replaceAll(from, to));
const CLAUDE_SESSION = "3f6d2a1e-8b4c-4e0f-9a57-2c1d7e9b5a10";
const CODEX_SESSION = "0199a2f4-6c1e-7b30-9d5a-3e8f1c2b4a77";
const MIN = 60_000;

let stack: TestStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  // The real reaper, at its default 5-minute timeout, sweeping every half second, with an ingest up
  // for a day (sessions 20 minutes silent are judged at once).
  stack = await startStack({
    label: "agents",
    env: { REAPER_INTERVAL_SECONDS: "0.5" },
    ingestUpSince: Date.now() - 24 * 60 * MIN,
  });
  api = client(stack.url);
});
afterAll(() => stack?.stop());

const session = (id: string, check: (s: any) => boolean, what: string) =>
  waitFor(
    async () => {
      const reply = await api.get(`/v1/sessions/${encodeURIComponent(id)}`);
      return reply.status === 200 && check(reply.body) ? reply.body : undefined;
    },
    { what },
  );

const protobuf = (
  message: { fromObject(o: object): unknown; encode(m: unknown): { finish(): Uint8Array } },
  object: object,
) => Buffer.from(message.encode(message.fromObject(object)).finish());
const postBytes = (path: string, body: Buffer, headers: Record<string, string>) =>
  fetch(stack.url + path, { method: "POST", body, headers });

describe("Codex CLI", () => {
  it("hooks and the notify payload make one session, a turn's Stop and notify count once; silent, it is reaped", async () => {
    const t = Date.now() - 20 * MIN;
    const id = "codex-one";
    const send = (file: string, at: number) =>
      api.post("/v1/hooks/codex", withSession(file, CODEX_SESSION, id), { "x-pulse-event-time": String(at) });
    expect((await send("codex/hook-session-start.json", t)).status).toBe(202);
    await send("codex/hook-pre-tool-use.json", t + 1000);
    const notify = await send("codex/notify-agent-turn-complete.json", t + 60_000);
    expect(notify.status).toBe(202);
    // The same turn's end from the Stop hook is the same event: it counts once.
    expect((await send("codex/hook-stop.json", t + 60_001)).status).toBe(202);
    const reaped = await session(id, (s) => s.event_count === 3 && s.status === "ended", "the Codex session reaped");
    expect(reaped).toMatchObject({
      source: "codex",
      project: "billing-svc",
      model: "gpt-5-codex",
      // The notify payload carries the turn's prompt: it titles the session.
      title: "Add a unit test for invoice rounding",
      end_reason: "stale",
      ended_at: new Date(t + 60_000).toISOString(),
      started_at: new Date(t).toISOString(),
    });
  });

  it("refuses a body that is neither a hook input nor a notify payload, naming the field", async () => {
    const reply = await api.post("/v1/hooks/codex", { hook_event_name: "Stop" });
    expect(reply).toMatchObject({
      status: 400,
      body: { error: "invalid_request", message: "session_id: is required" },
    });
    const notify = await api.post("/v1/hooks/codex", { type: "agent-turn-complete" });
    expect(notify).toMatchObject({ status: 400, body: { message: "thread-id: is required" } });
  });
});

describe("Gemini CLI", () => {
  it("uses Gemini's own timestamp as the event time; a permission notification waits; SessionEnd ends", async () => {
    const id = "gemini-one";
    const gemini = "b7d1c2e3-4f5a-4b6c-8d9e-0f1a2b3c4d5e";
    // A header time says otherwise: Gemini's timestamp wins.
    for (const file of ["gemini/session-start.json", "gemini/notification-tool-permission.json"]) {
      expect(
        (
          await api.post("/v1/hooks/gemini", withSession(file, gemini, id), {
            "x-pulse-event-time": String(Date.now()),
          })
        ).status,
      ).toBe(202);
    }
    const waiting = await session(id, (s) => s.event_count === 2, "the Gemini session");
    expect(waiting).toMatchObject({
      source: "gemini",
      project: "docs-site",
      started_at: "2026-11-21T10:02:11.412Z",
      last_event_at: "2026-11-21T10:03:40.020Z",
    });
    await api.post("/v1/hooks/gemini", withSession("gemini/session-end.json", gemini, id));
    const ended = await session(id, (s) => s.event_count === 3, "the Gemini end");
    // Ended by SessionEnd at its own time, even if the reaper got there first (the explicit end replaces it).
    expect(ended).toMatchObject({
      status: "ended",
      end_reason: "session_end",
      end_detail: "exit",
      ended_at: "2026-11-21T10:31:05.900Z",
      duration_ms: 28 * MIN + 54_488,
    });
  });
});

describe("POST /v1/logs (OTLP)", () => {
  it("maps Claude Code's export with tokens and cost, and a duplicate batch — as JSON, protobuf or gzip — does not double them", async () => {
    const id = "otel-claude";
    const json = withSession("otlp/claude-code-logs.json", CLAUDE_SESSION, id);
    const first = await api.post("/v1/logs", json);
    expect(first).toMatchObject({ status: 200, body: { partialSuccess: {} } });
    await session(id, (s) => s.event_count === 3, "the OTLP session");
    // The same records again: as JSON, as protobuf (built with the official OTLP definitions), gzipped.
    await api.post("/v1/logs", json);
    const proto = await postBytes("/v1/logs", protobuf(otlpMessages.logsRequest, json), {
      "content-type": "application/x-protobuf",
    });
    expect(proto.status).toBe(200);
    expect(proto.headers.get("content-type")).toMatch(/application\/x-protobuf/);
    expect(
      otlpMessages.logsResponse.toObject(
        otlpMessages.logsResponse.decode(new Uint8Array(await proto.arrayBuffer())),
        {},
      ),
    ).toEqual({});
    const gz = await postBytes("/v1/logs", gzipSync(JSON.stringify(json)), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(gz.status).toBe(200);
    // A marker event after them all: once it is applied, every duplicate before it was too.
    await api.post("/v1/events", {
      session_id: id,
      source: "claude-code",
      kind: "activity",
      time: Date.now() - 1000,
      id: "marker",
    });
    const s = await session(id, (x) => x.event_count >= 4, "the marker");
    expect(s).toMatchObject({
      event_count: 4,
      source: "claude-code",
      host: "dev-laptop",
      input_tokens: 1204,
      output_tokens: 655,
      cache_read_tokens: 18250,
      cache_creation_tokens: 2210,
      cost_usd: 0.0421,
      model: "claude-sonnet-4-5-20250929",
      tool_calls: 1,
      api_errors: 0,
      started_at: "2025-11-21T10:02:14.512Z",
    });
    expect(s.events.find((e: any) => e.kind === "prompt")).toMatchObject({
      name: "claude_code.user_prompt",
      time: "2025-11-21T10:02:14.512Z",
    });
  });

  it("maps Codex's export (conversation.id, observedTimeUnixNano when timeUnixNano is 0) onto the Codex session", async () => {
    const id = "otel-codex";
    expect((await api.post("/v1/logs", withSession("otlp/codex-logs.json", CODEX_SESSION, id))).status).toBe(200);
    expect(await session(id, (s) => s.event_count === 1, "the Codex OTLP session")).toMatchObject({
      source: "codex",
      model: "gpt-5-codex",
      started_at: "2025-11-21T10:06:40.100Z",
    });
  });

  it("a session reported through hooks and OTLP is one session", async () => {
    const t = Date.UTC(2025, 10, 21, 10, 2, 10);
    await api.post("/v1/hooks/claude-code", fixture("claude-code/session-start.json"), {
      "x-pulse-event-time": String(t),
    });
    await api.post("/v1/hooks/claude-code", fixture("claude-code/post-tool-use.json"), {
      "x-pulse-event-time": String(t + 23_000),
    });
    await api.post("/v1/logs", fixture("otlp/claude-code-logs.json"));
    const s = await session(CLAUDE_SESSION, (x) => x.event_count === 5, "the mixed session");
    // Seen by the hook (PostToolUse) and by OTLP (tool_result): one call, not two.
    expect(s).toMatchObject({
      source: "claude-code",
      cwd: "/home/dev/acme-api",
      cost_usd: 0.0421,
      tool_calls: 1,
      started_at: new Date(t).toISOString(),
    });
    const list = await api.get(`/v1/sessions?q=${CLAUDE_SESSION}`);
    expect(list.body.items).toHaveLength(1);
  });

  it("counts records without a session as rejected, as OTLP does, and refuses what is not an export", async () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [
            { logRecords: [{ body: { stringValue: "claude_code.user_prompt" } }, { body: { stringValue: "x" } }] },
          ],
        },
      ],
    };
    expect(await api.post("/v1/logs", body)).toMatchObject({
      status: 200,
      body: { partialSuccess: { rejectedLogRecords: 2, errorMessage: expect.stringMatching(/session\.id/) } },
    });
    expect(await api.post("/v1/logs", { resourceLogs: "no" })).toMatchObject({
      status: 400,
      body: { error: "invalid_request", message: expect.stringMatching(/OTLP logs/) },
    });
    const badProto = await postBytes("/v1/logs", Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), {
      "content-type": "application/x-protobuf",
    });
    expect(badProto.status).toBe(400);
    expect(await badProto.json()).toMatchObject({
      error: "invalid_request",
      message: expect.stringMatching(/protobuf/),
    });
    const badGzip = await postBytes("/v1/logs", Buffer.from("not gzip"), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(badGzip.status).toBe(400);
    expect(await badGzip.json()).toMatchObject({
      error: "invalid_request",
      message: expect.stringMatching(/not valid gzip/),
    });
    const brotli = await postBytes("/v1/logs", Buffer.from("{}"), {
      "content-type": "application/json",
      "content-encoding": "br",
    });
    expect(brotli.status).toBe(415);
    expect((await api.post("/v1/metrics", { resourceMetrics: [] })).status).toBe(200);
  });
});

describe("cost in the stats", () => {
  it("sums cost and tokens over 24 h by event time, and per project per day", async () => {
    const now = Date.now();
    const record = (id: string, ms: number, cost: number, input: number) => ({
      timeUnixNano: String(BigInt(ms) * 1_000_000n),
      body: { stringValue: "claude_code.api_request" },
      attributes: [
        { key: "session.id", value: { stringValue: id } },
        { key: "cost_usd", value: { doubleValue: cost } },
        { key: "input_tokens", value: { intValue: String(input) } },
        { key: "model", value: { stringValue: "claude-sonnet-4-5" } },
      ],
    });
    const before = (await api.get("/v1/stats")).body;
    const body = {
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: "service.name", value: { stringValue: "claude-code" } },
              { key: "service.namespace", value: { stringValue: "costly-project" } },
            ],
          },
          scopeLogs: [
            {
              logRecords: [
                record("cost-1", now - 60_000, 1.25, 1000),
                record("cost-1", now - 30_000, 0.5, 10),
                record("cost-2", now - 2 * 24 * 3600_000, 7, 5),
              ],
            },
          ],
        },
      ],
    };
    await api.post("/v1/logs", body);
    await session("cost-2", (s) => s.event_count === 1, "the old cost");
    await session("cost-1", (s) => s.event_count === 2, "the recent cost");
    const after = (await api.get("/v1/stats")).body;
    expect(after.cost_usd_24h - before.cost_usd_24h).toBeCloseTo(1.75, 6);
    expect(after.input_tokens_24h - before.input_tokens_24h).toBe(1010);
    const byProject = await api.get("/v1/stats/cost-by-project?days=3&tz=UTC");
    const costly = byProject.body.days.filter((d: any) => d.project === "costly-project");
    expect(costly.reduce((sum: number, d: any) => sum + d.cost_usd, 0)).toBeCloseTo(8.75, 6);
    // Each cost on the day it happened (in UTC here).
    expect(
      costly.find((d: any) => d.date === new Date(now - 2 * 24 * 3600_000).toISOString().slice(0, 10))?.cost_usd,
    ).toBeCloseTo(7, 6);
  });
});

describe("POST /v1/traces (OTLP)", () => {
  const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
  const trace = (id: string, spans: Array<{ name: string; start: number; end: number; spanId: string }>) => ({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
        scopeSpans: [
          {
            spans: spans.map((s) => ({
              traceId: "5b8efff798038103d269b633813fc60c",
              spanId: s.spanId,
              name: s.name,
              startTimeUnixNano: ns(s.start),
              endTimeUnixNano: ns(s.end),
              attributes: [{ key: "session.id", value: { stringValue: id } }],
            })),
          },
        ],
      },
    ],
  });

  it("counts spans; a zero-duration span never ends a session; an explicit end span that lasted does", async () => {
    const id = "traced";
    const t = Date.now() - 60_000;
    await api.post(
      "/v1/hooks/claude-code",
      { session_id: id, hook_event_name: "UserPromptSubmit", prompt: "trace me" },
      { "x-pulse-event-time": String(t) },
    );
    await session(id, (s) => s.event_count === 1, "the traced session");
    const zero = trace(id, [
      { name: "claude_code.llm_request", start: t + 1000, end: t + 2000, spanId: "a1a1a1a1a1a1a1a1" },
      { name: "session.end", start: t + 3000, end: t + 3000, spanId: "a2a2a2a2a2a2a2a2" },
    ]);
    expect((await api.post("/v1/traces", zero)).body).toEqual({ partialSuccess: {} });
    // The same spans again, as protobuf (ids as bytes): still two spans.
    const bytes = protobuf(otlpMessages.traceRequest, {
      resourceSpans: zero.resourceSpans.map((rs) => ({
        ...rs,
        scopeSpans: rs.scopeSpans.map((ss) => ({
          spans: ss.spans.map((s) => ({
            ...s,
            traceId: Buffer.from(s.traceId, "hex"),
            spanId: Buffer.from(s.spanId, "hex"),
          })),
        })),
      })),
    });
    expect((await postBytes("/v1/traces", bytes, { "content-type": "application/x-protobuf" })).status).toBe(200);
    await api.post("/v1/events", { session_id: id, source: "claude-code", kind: "tool", time: t + 4000, id: "marker" });
    const open = await session(id, (s) => s.event_count === 2, "the marker");
    expect(open).toMatchObject({ status: "active", span_count: 2, last_event_at: new Date(t + 4000).toISOString() });

    await api.post(
      "/v1/traces",
      trace(id, [{ name: "session.end", start: t + 5000, end: t + 6000, spanId: "a3a3a3a3a3a3a3a3" }]),
    );
    expect(await session(id, (s) => s.status === "ended", "the explicit end span")).toMatchObject({
      end_reason: "session_end",
      ended_at: new Date(t + 6000).toISOString(),
      span_count: 2,
    });
  });
});
