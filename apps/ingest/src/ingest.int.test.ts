import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lastChangeId, readChangesAfter, sessionChangesKey } from "@pulse/queues";
import { Redis } from "ioredis";
import pino from "pino";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";
import { createIngestApp } from "./app";
import { loadIngestConfig } from "./config";

const FIXTURES = join(__dirname, "../../../test/fixtures/claude-code");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));
const hook = (name: string, session: string, extra: Record<string, unknown> = {}) => ({
  ...fixture(name),
  session_id: session,
  ...extra,
});
const MIN = 60_000;

let stack: TestStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  // The reaper is tested on its own (apps/reaper); here it must not end sessions whose event times
  // the tests set in the past.
  stack = await startStack({ label: "ingest", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
  api = client(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

/** Posts a Claude Code hook input stamped with its event time. */
const postHook = (body: unknown, timeMs: number, headers: Record<string, string> = {}) =>
  api.post("/v1/hooks/claude-code", body, { "x-pulse-event-time": new Date(timeMs).toISOString(), ...headers });

/** Waits until the session has `count` events applied, then returns it. */
const sessionWithEvents = (id: string, count: number) =>
  waitFor(
    async () => {
      const reply = await api.get(`/v1/sessions/${encodeURIComponent(id)}`);
      return reply.status === 200 && reply.body.event_count >= count ? reply.body : undefined;
    },
    { what: `session ${id} with ${count} events` },
  );

describe("POST /v1/hooks/claude-code → queue → worker → Postgres", () => {
  it("replays the typical Claude Code session to an honest state, with event times, and publishes each change", async () => {
    const reader = new Redis(stack.env.redisUrl);
    const changesKey = sessionChangesKey(stack.env.redisPrefix);
    const since = await lastChangeId(reader, changesKey);
    const published = async () =>
      (await readChangesAfter(reader, changesKey, since, 10_000)).changes.map((c) => JSON.parse(c.session));

    const start = Date.now() - 30 * MIN;
    const lines = readFileSync(join(FIXTURES, "typical-session.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const line of lines.slice(0, 11)) {
      const reply = await postHook({ ...line.event, session_id: "typical" }, start + line.offset_ms);
      expect(reply.status).toBe(202);
      expect(reply.body).toEqual({ accepted: 1, event_id: expect.any(String) });
    }
    // After the Stop at 71.2 s and the idle notification at 131.2 s: waiting for the user ("idle").
    const waiting = await sessionWithEvents("typical", 11);
    expect(waiting).toMatchObject({
      source: "claude-code",
      project: "acme-api",
      cwd: "/home/dev/acme-api",
      title: "Fix the flaky retry test in src/queue/retry.test.ts and explain the root cause",
      status: "waiting",
      waiting_reason: "idle",
      started_at: new Date(start).toISOString(),
      last_event_at: new Date(start + 131_200).toISOString(),
      duration_ms: 131_200,
      event_count: 11,
    });
    expect(waiting.events).toHaveLength(11);
    expect(waiting.events[0]).toMatchObject({
      kind: "attention",
      name: "Notification",
      time: new Date(start + 131_200).toISOString(),
    });
    expect(waiting.events.find((e: any) => e.name === "PreToolUse")).toMatchObject({
      kind: "tool",
      tool: "Bash",
      detail: "npx jest src/queue/retry.test.ts",
    });

    for (const line of lines.slice(11))
      await postHook({ ...line.event, session_id: "typical" }, start + line.offset_ms);
    const ended = await sessionWithEvents("typical", lines.length);
    expect(ended).toMatchObject({
      status: "ended",
      end_reason: "session_end",
      end_detail: "prompt_input_exit",
      ended_at: new Date(start + 455_000).toISOString(),
      duration_ms: 455_000,
      reopen_count: 0,
    });

    const changes = await waitFor(
      async () => {
        const all = await published();
        return all.some((session) => session.id === "typical" && session.status === "ended") ? all : undefined;
      },
      { what: "the ended session on the session-change stream" },
    );
    expect(changes[0]).toMatchObject({ id: "typical", source: "claude-code" });
    await reader.quit();
  });

  it("applies a duplicate once: by Idempotency-Key, and by content when the time is stamped", async () => {
    const t = Date.now() - 5000;
    const body = hook("pre-tool-use", "dupes");
    const first = await postHook(body, t, { "idempotency-key": "evt-1" });
    const again = await postHook(body, t + 999, { "idempotency-key": "evt-1" });
    expect(again.body.event_id).toBe(first.body.event_id);
    // No key, same content and time: recognised as a resend.
    const a = await postHook(hook("stop", "dupes"), t + 10);
    const b = await postHook(hook("stop", "dupes"), t + 10);
    expect(b.body.event_id).toBe(a.body.event_id);
    await postHook(hook("post-tool-use", "dupes"), t + 20, { "idempotency-key": "evt-3" });
    const session = await sessionWithEvents("dupes", 3);
    // Give any wrongly doubled event time to land before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.get("/v1/sessions/dupes")).body.event_count).toBe(3);
    expect(session.events).toHaveLength(3);
  });

  it("an out-of-order pair: the older Stop arriving last does not make the session wait", async () => {
    const t = Date.now() - 60_000;
    await postHook(hook("pre-tool-use", "ooo"), t + 2000);
    await sessionWithEvents("ooo", 1);
    await postHook(hook("stop", "ooo"), t + 1000);
    const session = await sessionWithEvents("ooo", 2);
    expect(session).toMatchObject({
      status: "active",
      started_at: new Date(t + 1000).toISOString(),
      last_event_at: new Date(t + 2000).toISOString(),
    });
  });

  it("reopens an ended session on a newer event, and ignores an older one", async () => {
    const t = Date.now() - 10 * MIN;
    await postHook(hook("session-start", "reopen"), t);
    await postHook(hook("session-end", "reopen"), t + MIN);
    expect(await sessionWithEvents("reopen", 2)).toMatchObject({ status: "ended", end_reason: "session_end" });
    await postHook(hook("pre-tool-use", "reopen"), t + 30_000);
    expect(await sessionWithEvents("reopen", 3)).toMatchObject({
      status: "ended",
      reopen_count: 0,
      ended_at: new Date(t + MIN).toISOString(),
    });
    await postHook(hook("user-prompt-submit", "reopen"), t + 2 * MIN);
    expect(await sessionWithEvents("reopen", 4)).toMatchObject({
      status: "active",
      end_reason: null,
      ended_at: null,
      reopen_count: 1,
    });
  });

  it("stores text with NUL characters (binary tool output), which Postgres text and jsonb refuse as such", async () => {
    const t = Date.now() - 1000;
    await postHook(hook("user-prompt-submit", "nul-text", { prompt: "before\u0000after" }), t);
    await postHook(hook("post-tool-use", "nul-text", { tool_response: { stdout: "\u0000\u0001binary" } }), t + 1);
    const session = await sessionWithEvents("nul-text", 2);
    expect(session.title).toBe("before\uFFFDafter");
    expect(
      await api.post("/v1/hooks/claude-code", { session_id: "bad\u0000id", hook_event_name: "Stop" }),
    ).toMatchObject({ status: 400, body: { message: "session_id: must not contain control characters" } });
    expect(await api.post("/v1/events", { session_id: "s", source: "x", kind: "tool", id: "k\u0000" })).toMatchObject({
      status: 400,
      body: { message: "id: must not contain control characters" },
    });
  });

  it("accepts hook names it does not know, as activity", async () => {
    const reply = await postHook(
      { session_id: "future", hook_event_name: "SomethingNew", cwd: "/x/y", novel: { a: 1 } },
      Date.now(),
    );
    expect(reply.status).toBe(202);
    const session = await sessionWithEvents("future", 1);
    expect(session).toMatchObject({ status: "active", project: "y" });
    expect(session.events[0]).toMatchObject({ kind: "activity", name: "SomethingNew" });
  });

  it("links the session /clear starts to the one it ended, whichever lands first", async () => {
    const t = Date.now() - 5 * MIN;
    const cwd = "/home/dev/clear-test";
    await postHook(hook("session-start", "before-clear", { cwd }), t);
    // The new session's start lands before the old one's end.
    await postHook(hook("session-start-after-clear", "after-clear", { cwd }), t + 60_010);
    await sessionWithEvents("after-clear", 1);
    await postHook(hook("session-end-clear", "before-clear", { cwd }), t + 60_000);
    await sessionWithEvents("before-clear", 2);
    await waitFor(async () => (await api.get("/v1/sessions/after-clear")).body.parent_session_id === "before-clear", {
      what: "the /clear link",
    });
    expect((await api.get("/v1/sessions/before-clear")).body).toMatchObject({
      status: "ended",
      end_detail: "clear",
      parent_session_id: null,
    });
  });
});

describe("POST /v1/events", () => {
  it("takes a batch of 1000 whole and applies every event", async () => {
    const t = Date.now() - 60_000;
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      session_id: `batch-${i % 10}`,
      source: "bench",
      kind: i >= 990 ? "turn_end" : "tool",
      time: t + i,
      id: `e${i}`,
      cwd: "/w/batchproj",
    }));
    const reply = await api.post("/v1/events", batch);
    expect(reply).toMatchObject({ status: 202, body: { accepted: 1000 } });
    for (let s = 0; s < 10; s++)
      expect(await sessionWithEvents(`batch-${s}`, 100)).toMatchObject({
        event_count: 100,
        status: "waiting",
        source: "bench",
        project: "batchproj",
      });
    // The same batch again: all duplicates.
    await api.post("/v1/events", batch);
    await api.post("/v1/events", {
      session_id: "batch-0",
      source: "bench",
      kind: "tool",
      time: t + 5000,
      id: "marker",
    });
    expect(await sessionWithEvents("batch-0", 101)).toMatchObject({ event_count: 101 });
  });

  it("takes a title for a session that has no prompt", async () => {
    await api.post("/v1/events", {
      session_id: "titled",
      source: "custom",
      kind: "start",
      title: "Nightly data backfill",
      time: Date.now() - 5000,
    });
    expect(await sessionWithEvents("titled", 1)).toMatchObject({ title: "Nightly data backfill" });
  });

  it("takes a single event, with end_reason process_exit", async () => {
    const t = Date.now() - 1000;
    await api.post("/v1/events", { session_id: "single", source: "custom", kind: "start", time: t });
    await api.post("/v1/events", {
      session_id: "single",
      source: "custom",
      kind: "end",
      end_reason: "process_exit",
      end_detail: "exit code 137",
      time: t + 500,
    });
    expect(await sessionWithEvents("single", 2)).toMatchObject({
      status: "ended",
      end_reason: "process_exit",
      end_detail: "exit code 137",
      duration_ms: 500,
    });
  });
});

describe("bad input gets a clear 4xx, never a 5xx", () => {
  const big = JSON.stringify({ session_id: "big", hook_event_name: "Stop", blob: "x".repeat(1024 * 1024) });
  const cases: Array<[string, string, string, unknown, Record<string, string>, number, string, RegExp]> = [
    ["invalid JSON", "POST", "/v1/hooks/claude-code", "{not json", {}, 400, "invalid_json", /not valid JSON/],
    ["invalid JSON on /v1/events", "POST", "/v1/events", "[{]", {}, 400, "invalid_json", /not valid JSON/],
    ["no body", "POST", "/v1/hooks/claude-code", undefined, {}, 400, "invalid_request", /JSON object/],
    ["a JSON array as a hook", "POST", "/v1/hooks/claude-code", [1], {}, 400, "invalid_request", /JSON object/],
    [
      "missing session_id",
      "POST",
      "/v1/hooks/claude-code",
      { hook_event_name: "Stop" },
      {},
      400,
      "invalid_request",
      /^session_id: is required/,
    ],
    [
      "empty session_id",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: "  ", hook_event_name: "Stop" },
      {},
      400,
      "invalid_request",
      /^session_id: must not be empty/,
    ],
    [
      "session_id over 200 characters",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: "s".repeat(201), hook_event_name: "Stop" },
      {},
      400,
      "invalid_request",
      /^session_id: must be at most 200/,
    ],
    [
      "session_id not a string",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: 42, hook_event_name: "Stop" },
      {},
      400,
      "invalid_request",
      /^session_id: must be a string/,
    ],
    [
      "missing hook_event_name",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: "s" },
      {},
      400,
      "invalid_request",
      /^hook_event_name: is required/,
    ],
    [
      "bad X-Pulse-Event-Time",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: "s", hook_event_name: "Stop" },
      { "x-pulse-event-time": "tuesday" },
      400,
      "invalid_request",
      /^X-Pulse-Event-Time: must be/,
    ],
    [
      "epoch seconds in X-Pulse-Event-Time",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: "s", hook_event_name: "Stop" },
      { "x-pulse-event-time": "1763719334" },
      400,
      "invalid_request",
      /milliseconds, not seconds/,
    ],
    [
      "Idempotency-Key too long",
      "POST",
      "/v1/hooks/claude-code",
      { session_id: "s", hook_event_name: "Stop" },
      { "idempotency-key": "k".repeat(201) },
      400,
      "invalid_request",
      /^Idempotency-Key/,
    ],
    [
      "body over 1 MiB",
      "POST",
      "/v1/hooks/claude-code",
      big,
      { "content-type": "application/json" },
      413,
      "payload_too_large",
      /too large/,
    ],
    [
      "missing kind",
      "POST",
      "/v1/events",
      { session_id: "s", source: "x" },
      {},
      400,
      "invalid_request",
      /^kind: is required/,
    ],
    [
      "unknown kind",
      "POST",
      "/v1/events",
      { session_id: "s", source: "x", kind: "nap" },
      {},
      400,
      "invalid_request",
      /^kind: must be one of/,
    ],
    [
      "bad event in a batch names its index",
      "POST",
      "/v1/events",
      [
        { session_id: "s", source: "x", kind: "tool" },
        { source: "x", kind: "tool" },
      ],
      {},
      400,
      "invalid_request",
      /^\[1\]\.session_id: is required/,
    ],
    [
      "missing source",
      "POST",
      "/v1/events",
      { session_id: "s", kind: "tool" },
      {},
      400,
      "invalid_request",
      /^source: is required/,
    ],
    [
      "bad time",
      "POST",
      "/v1/events",
      { session_id: "s", source: "x", kind: "tool", time: "soon" },
      {},
      400,
      "invalid_request",
      /^time: must be/,
    ],
    [
      "an end_reason Pulse owns",
      "POST",
      "/v1/events",
      { session_id: "s", source: "x", kind: "end", end_reason: "stale" },
      {},
      400,
      "invalid_request",
      /^end_reason: must be one of/,
    ],
    ["empty batch", "POST", "/v1/events", [], {}, 400, "invalid_request", /empty array/],
    [
      "over 1000 events",
      "POST",
      "/v1/events",
      Array.from({ length: 1001 }, () => ({ session_id: "s", source: "x", kind: "tool" })),
      {},
      400,
      "invalid_request",
      /at most 1000/,
    ],
    [
      "a bare string",
      "POST",
      "/v1/events",
      '"hello"',
      { "content-type": "application/json" },
      400,
      "invalid_request",
      /event object/,
    ],
    ["unknown session", "GET", "/v1/sessions/no-such-session", undefined, {}, 404, "not_found", /no session/],
    [
      "closing an unknown session",
      "POST",
      "/v1/sessions/no-such-session/close",
      undefined,
      {},
      404,
      "not_found",
      /no session/,
    ],
    [
      "unknown status filter",
      "GET",
      "/v1/sessions?status=active,sleeping",
      undefined,
      {},
      400,
      "invalid_request",
      /^status: unknown status "sleeping"/,
    ],
    [
      "limit out of range",
      "GET",
      "/v1/sessions?limit=100000",
      undefined,
      {},
      400,
      "invalid_request",
      /^limit: must be at most 500/,
    ],
    [
      "limit not a number",
      "GET",
      "/v1/sessions?limit=ten",
      undefined,
      {},
      400,
      "invalid_request",
      /^limit: must be a number/,
    ],
    [
      "a cursor this API did not make",
      "GET",
      "/v1/sessions?cursor=abc",
      undefined,
      {},
      400,
      "invalid_request",
      /^cursor:/,
    ],
    [
      "cleanup without a threshold",
      "POST",
      "/v1/sessions/cleanup",
      { dry_run: true },
      {},
      400,
      "invalid_request",
      /^older_than_minutes: is required/,
    ],
    [
      "cleanup with a negative threshold",
      "POST",
      "/v1/sessions/cleanup",
      { older_than_minutes: -5 },
      {},
      400,
      "invalid_request",
      /^older_than_minutes: must be greater than 0/,
    ],
    ["stats since a bad time", "GET", "/v1/stats?since=later", undefined, {}, 400, "invalid_request", /^since:/],
    [
      "unknown time zone",
      "GET",
      "/v1/stats/daily?tz=Mars/Olympus",
      undefined,
      {},
      400,
      "invalid_request",
      /^tz: must be an IANA time zone/,
    ],
    [
      "timeline with too many buckets",
      "GET",
      "/v1/stats/timeline?buckets=5000",
      undefined,
      {},
      400,
      "invalid_request",
      /^buckets: must be at most 1000/,
    ],
    ["unknown route", "GET", "/v1/nothing-here", undefined, {}, 404, "not_found", /GET \/v1\/nothing-here/],
    ["a malformed URL", "GET", "/v1/sessions/%E0%A4%A", undefined, {}, 400, "invalid_request", /not a valid url/],
  ];

  it.each(cases)("%s → %s %s", async (_name, method, path, body, headers, status, error, message) => {
    const reply = await api.request(method, path, body, headers);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ error, message: expect.stringMatching(message) });
  });

  it("accepts JSON whatever content type the sender's tool picked (curl -d sends form-urlencoded)", async () => {
    const body = JSON.stringify(hook("stop", "ctype"));
    for (const type of ["application/x-www-form-urlencoded", "text/plain"]) {
      const reply = await api.post("/v1/hooks/claude-code", body, { "content-type": type });
      expect(reply.status).toBe(202);
    }
  });

  it("still answers normally after all of that", async () => {
    expect((await api.get("/healthz")).status).toBe(200);
    expect((await api.get("/readyz")).body).toMatchObject({ status: "ok", redis: "ok", postgres: "ok" });
  });
});

describe("reading sessions", () => {
  it("pages newest activity first with a cursor, and filters", async () => {
    const t = Date.now() - 20 * MIN;
    const events = Array.from({ length: 12 }, (_, i) => ({
      session_id: `page-${String(i).padStart(2, "0")}`,
      source: i < 6 ? "alpha" : "beta",
      kind: "tool",
      time: t + i * 1000,
      project: "paging",
    }));
    await api.post("/v1/events", events);
    await sessionWithEvents("page-11", 1);
    await sessionWithEvents("page-00", 1);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: any = await api.get(
        `/v1/sessions?project=paging&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(reply.status).toBe(200);
      ids.push(...reply.body.items.map((s: any) => s.id));
      cursor = reply.body.next_cursor;
    } while (cursor);
    expect(ids).toEqual(events.map((e) => e.session_id).reverse());
    const beta = await api.get("/v1/sessions?project=paging&source=beta&status=active,waiting&q=PAGE-1");
    expect(beta.body.items.map((s: any) => s.id)).toEqual(["page-11", "page-10"]);
    const facets = await api.get("/v1/facets");
    expect(facets.body.projects).toContainEqual({ name: "paging", sessions: 12 });
    expect(facets.body.sources).toEqual(
      expect.arrayContaining([
        { name: "alpha", sessions: 6 },
        { name: "beta", sessions: 6 },
      ]),
    );
  });

  it("closes a session at its last event, idempotently, and publishes it", async () => {
    const t = Date.now() - 3 * MIN;
    await postHook(hook("session-start", "to-close"), t);
    await postHook(hook("stop", "to-close"), t + 20_000);
    await sessionWithEvents("to-close", 2);
    const closed = await api.post("/v1/sessions/to-close/close");
    expect(closed).toMatchObject({
      status: 200,
      body: {
        status: "ended",
        end_reason: "closed",
        ended_at: new Date(t + 20_000).toISOString(),
        duration_ms: 20_000,
      },
    });
    const again = await api.post("/v1/sessions/to-close/close");
    expect(again.body).toEqual(closed.body);
  });

  it("cleanup: a dry run changes nothing, a real one ends exactly the listed sessions", async () => {
    const old = Date.now() - 3 * 3600_000;
    await api.post("/v1/events", [
      { session_id: "cleanup-old-1", source: "x", kind: "tool", time: old },
      { session_id: "cleanup-old-2", source: "x", kind: "turn_end", time: old + 1000 },
      { session_id: "cleanup-recent", source: "x", kind: "tool", time: Date.now() - 5 * MIN },
    ]);
    await sessionWithEvents("cleanup-recent", 1);
    const dry = await api.post("/v1/sessions/cleanup", { older_than_minutes: 120, dry_run: true });
    const listed = dry.body.sessions.map((s: any) => s.id).filter((id: string) => id.startsWith("cleanup-"));
    expect(listed.sort()).toEqual(["cleanup-old-1", "cleanup-old-2"]);
    expect((await api.get("/v1/sessions/cleanup-old-1")).body.status).toBe("active");
    const real = await api.post("/v1/sessions/cleanup", { older_than_minutes: 120 });
    expect(real.body).toMatchObject({ dry_run: false, older_than_minutes: 120, count: dry.body.count });
    expect(real.body.sessions.map((s: any) => s.id).sort()).toEqual(dry.body.sessions.map((s: any) => s.id).sort());
    expect((await api.get("/v1/sessions/cleanup-old-2")).body).toMatchObject({
      status: "ended",
      end_reason: "closed",
      ended_at: new Date(old + 1000).toISOString(),
    });
    expect((await api.get("/v1/sessions/cleanup-recent")).body.status).toBe("active");
  });

  it("cleanup with ids ends only those, and only if they are still silent that long", async () => {
    const old = Date.now() - 3 * 3600_000;
    await api.post("/v1/events", [
      { session_id: "listed-1", source: "x", kind: "tool", time: old },
      { session_id: "listed-2", source: "x", kind: "tool", time: old },
      { session_id: "unlisted", source: "x", kind: "tool", time: old },
    ]);
    await sessionWithEvents("unlisted", 1);
    // listed-2 shows life after the dry run.
    await api.post("/v1/events", { session_id: "listed-2", source: "x", kind: "prompt", time: Date.now() - 1000 });
    await waitFor(async () => (await api.get("/v1/sessions/listed-2")).body.event_count === 2, {
      what: "listed-2 active again",
    });
    const reply = await api.post("/v1/sessions/cleanup", {
      older_than_minutes: 120,
      ids: ["listed-1", "listed-2", "no-such"],
    });
    expect(reply.body.sessions.map((s: any) => s.id)).toEqual(["listed-1"]);
    expect((await api.get("/v1/sessions/unlisted")).body.status).toBe("active");
    expect(await api.post("/v1/sessions/cleanup", { older_than_minutes: 120, ids: "listed-1" })).toMatchObject({
      status: 400,
      body: { message: "ids: must be an array of session ids" },
    });
  });

  it("draws concurrent sessions over time as the lifecycle sees them", async () => {
    // A private stack: the timeline counts every session in the database.
    const own = await startStack({ label: "timeline" });
    try {
      const ownApi = client(own.url);
      const now = Date.now();
      const h = 3600_000;
      await ownApi.post("/v1/events", [
        // Working from 3 h ago, still working (an event 1 min ago).
        { session_id: "tl-work", source: "x", kind: "start", time: now - 3 * h },
        ...Array.from({ length: 36 }, (_, i) => ({
          session_id: "tl-work",
          source: "x",
          kind: "tool",
          time: now - 3 * h + (i + 1) * 5 * MIN - MIN,
        })),
        // Waiting since 2 h ago, and silent since: ended at that event, as the reaper decides.
        { session_id: "tl-wait", source: "x", kind: "turn_end", time: now - 2 * h },
        // Waiting from 80 min ago until its own end 50 min ago (an explicit end: it was alive till then).
        { session_id: "tl-ended", source: "x", kind: "start", time: now - 90 * MIN },
        { session_id: "tl-ended", source: "x", kind: "attention", time: now - 80 * MIN },
        { session_id: "tl-ended", source: "x", kind: "end", time: now - 50 * MIN },
      ]);
      await waitFor(async () => (await ownApi.get("/v1/sessions/tl-ended")).body.event_count === 3, {
        what: "timeline events",
      });
      await waitFor(async () => (await ownApi.get("/v1/sessions/tl-work")).body.event_count === 37, {
        what: "timeline events",
      });
      const { body } = await ownApi.get("/v1/stats/timeline?hours=4&buckets=5");
      expect(body.points).toHaveLength(5);
      // Instants: -4 h, -3 h, -2 h, -1 h, now.
      expect(body.points.map((p: any) => [p.working, p.waiting])).toEqual([
        [0, 0],
        [1, 0],
        [1, 0],
        [1, 1],
        [1, 0],
      ]);
    } finally {
      await own.stop();
    }
  });

  it("counts stats", async () => {
    const stats = await api.get("/v1/stats");
    expect(stats.body).toMatchObject({
      total: expect.any(Number),
      active: expect.any(Number),
      waiting: expect.any(Number),
      ended: expect.any(Number),
      stale_24h: expect.any(Number),
      cost_usd_24h: 0,
    });
    expect(stats.body.active + stats.body.waiting + stats.body.ended).toBe(stats.body.total);
    const daily = await api.get("/v1/stats/daily?days=3&tz=UTC");
    expect(daily.body.days).toHaveLength(3);
    // Every session here started within the last three days.
    expect(daily.body.days.reduce((sum: number, d: any) => sum + d.sessions, 0)).toBe(stats.body.total);
  });
});

describe("with PULSE_TOKEN", () => {
  let secured: TestStack;
  beforeAll(async () => {
    secured = await startStack({ label: "auth", env: { PULSE_TOKEN: "s3cret-token-value" }, workers: false });
  });
  afterAll(() => secured.stop());

  it("every /v1 route and the queue board need the token; health checks do not", async () => {
    const anon = client(secured.url);
    for (const [method, path] of [
      ["POST", "/v1/hooks/claude-code"],
      ["POST", "/v1/events"],
      ["GET", "/v1/sessions"],
      ["GET", "/v1/sessions/x"],
      ["POST", "/v1/sessions/x/close"],
      ["GET", "/v1/stats"],
      ["GET", "/queues"],
      ["GET", "/queues/api/queues"],
    ]) {
      const reply = await anon.request(method, path, method === "POST" ? {} : undefined);
      expect([path, reply.status, reply.body.error]).toEqual([path, 401, "unauthorized"]);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const wrong = await anon.get("/v1/sessions", { authorization: "Bearer s3cret-token-valuE" });
    expect(wrong).toMatchObject({ status: 401, body: { error: "unauthorized", message: "the token is not valid" } });
    expect((await anon.get("/healthz")).status).toBe(200);
    expect((await anon.get("/readyz")).status).toBe(200);

    const authed = client(secured.url, { authorization: "Bearer s3cret-token-value" });
    expect((await authed.post("/v1/hooks/claude-code", hook("stop", "authed"))).status).toBe(202);
    expect((await authed.get("/v1/sessions")).status).toBe(200);
    expect((await authed.get("/queues/api/queues")).body.queues.map((q: any) => q.name).sort()).toEqual([
      "events",
      "maintenance",
      "notifications",
      "reaper",
    ]);
  });
});

describe("when a backing service is down", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv("down");
  });
  afterAll(() => env.cleanup());

  async function ingestWith(vars: Record<string, string>) {
    const config = loadIngestConfig({
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      PULSE_REDIS_PREFIX: env.redisPrefix,
      ...vars,
    });
    const app = await createIngestApp(config, { logger: pino({ level: "silent" }) });
    await app.app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.app.getHttpServer().address() as { port: number }).port;
    return { app, api: client(`http://127.0.0.1:${port}`) };
  }

  it("Redis down: events get 503 with Retry-After, reads still work, readiness says which", async () => {
    const { app, api: down } = await ingestWith({ REDIS_URL: "redis://127.0.0.1:1" });
    const reply = await down.post("/v1/hooks/claude-code", hook("stop", "nope"));
    expect(reply).toMatchObject({
      status: 503,
      body: { error: "unavailable", message: expect.stringMatching(/Redis/) },
    });
    expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    // Redis is known to be down now: the next answers come at once, not after a wait per request.
    const started = Date.now();
    expect((await down.post("/v1/events", { session_id: "s", source: "x", kind: "tool" })).status).toBe(503);
    expect((await down.post("/v1/hooks/claude-code", hook("stop", "nope"))).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(500);
    expect((await down.get("/v1/sessions")).status).toBe(200);
    const ready = await down.get("/readyz");
    expect(ready).toMatchObject({
      status: 503,
      body: { error: "unavailable", postgres: "ok", redis: expect.stringMatching(/^unavailable/) },
    });
    await app.close();
  });

  it("Postgres down: events are still accepted into the queue, reads get 503, readiness says which", async () => {
    const { app, api: down } = await ingestWith({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/pulse" });
    expect((await down.post("/v1/hooks/claude-code", hook("stop", "queued-while-db-down"))).status).toBe(202);
    const read = await down.get("/v1/sessions");
    expect(read).toMatchObject({ status: 503, body: { error: "unavailable" } });
    expect(read.headers.get("retry-after")).toBeTruthy();
    expect((await down.post("/v1/sessions/x/close")).status).toBe(503);
    expect((await down.get("/readyz")).body).toMatchObject({
      redis: "ok",
      postgres: expect.stringMatching(/^unavailable/),
    });
    await app.close();
  });
});
