import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS, isCodexNotify } from "./agents";
import { codexNotifySchema, hookInputSchema } from "./hook-input";
import { applyEvent, type LifecycleEvent, newSession } from "./lifecycle";
import { mapOtlpLogs, mapOtlpSpans, nanosToMs, sourceFromServiceName } from "./otlp";

const FIXTURES = join(__dirname, "../../../test/fixtures");
const fixture = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));

describe("Codex CLI", () => {
  it.each([
    [
      "codex/hook-session-start.json",
      { kind: "start", detail: "startup", usage: expect.objectContaining({ model: "gpt-5-codex" }) },
    ],
    ["codex/hook-pre-tool-use.json", { kind: "tool", tool: "Bash", detail: "npm test -- invoice" }],
    ["codex/hook-stop.json", { kind: "turn_end", detail: "Added tests/invoice_rounding.test.ts; all 14 tests pass." }],
  ])("maps the hook %s", (file, expected) => {
    const body = fixture(file);
    expect(isCodexNotify(body)).toBe(false);
    expect(AGENTS.codex.mapHook(hookInputSchema.parse(body))).toMatchObject(expected);
  });

  it("maps the notify payload to a turn end under its thread id, titled by the turn's prompt", () => {
    const body = fixture("codex/notify-agent-turn-complete.json");
    expect(isCodexNotify(body)).toBe(true);
    const notify = codexNotifySchema.parse(body);
    expect(notify["thread-id"]).toBe("0199a2f4-6c1e-7b30-9d5a-3e8f1c2b4a77");
    expect(AGENTS.codex.mapHook(notify)).toMatchObject({
      kind: "turn_end",
      title: "Add a unit test for invoice rounding",
      detail: "Added tests/invoice_rounding.test.ts; all 14 tests pass.",
    });
    expect(AGENTS.codex.mapHook(codexNotifySchema.parse({ type: "something-new", "thread-id": "t" }))).toMatchObject({
      kind: "activity",
      name: "something-new",
      signal: "bookkeeping",
    });
  });

  it("a permission request makes the session wait for the user", () => {
    expect(
      AGENTS.codex.mapHook(
        hookInputSchema.parse({
          session_id: "s",
          hook_event_name: "PermissionRequest",
          tool_name: "Bash",
          tool_input: { command: "rm -rf build" },
        }),
      ),
    ).toMatchObject({ kind: "attention", waiting_reason: "permission", tool: "Bash", detail: "rm -rf build" });
  });

  it("SessionEnd ends the session; an unknown hook name is bookkeeping (kept, never a change of status)", () => {
    expect(
      AGENTS.codex.mapHook(hookInputSchema.parse({ session_id: "s", hook_event_name: "SessionEnd", reason: "other" })),
    ).toMatchObject({ kind: "end", end_reason: "session_end", end_detail: "other" });
    expect(
      AGENTS.codex.mapHook(hookInputSchema.parse({ session_id: "s", hook_event_name: "SomethingNew" })),
    ).toMatchObject({ kind: "activity", signal: "bookkeeping" });
  });
});

describe("Gemini CLI", () => {
  it.each([
    ["gemini/session-start.json", { kind: "start", detail: "startup" }],
    ["gemini/notification-tool-permission.json", { kind: "attention", waiting_reason: "permission" }],
    ["gemini/session-end.json", { kind: "end", end_reason: "session_end", end_detail: "exit" }],
  ])("maps %s", (file, expected) => {
    const hook = hookInputSchema.parse(fixture(file));
    expect(AGENTS.gemini.mapHook(hook)).toMatchObject(expected);
    expect(AGENTS.gemini.hookTime!(hook)).not.toBeNull();
  });

  it.each([
    [
      { hook_event_name: "BeforeAgent", prompt: "Fix the docs build" },
      { kind: "prompt", detail: "Fix the docs build" },
    ],
    [{ hook_event_name: "AfterAgent" }, { kind: "turn_end" }],
    [
      { hook_event_name: "AfterTool", tool_name: "run_shell_command", tool_input: { command: "npm run build" } },
      {
        kind: "tool",
        tool: "run_shell_command",
        detail: "npm run build",
        usage: expect.objectContaining({ tool_call: "hook" }),
      },
    ],
    [
      { hook_event_name: "Notification", notification_type: "Other" },
      { kind: "activity", signal: "bookkeeping" },
    ],
    [{ hook_event_name: "PreCompress" }, { kind: "activity" }],
  ])("maps %j", (fields, expected) => {
    expect(AGENTS.gemini.mapHook(hookInputSchema.parse({ session_id: "g", ...fields }))).toMatchObject(expected);
  });

  it("ignores a malformed timestamp rather than refusing the event", () => {
    expect(AGENTS.gemini.hookTime!({ session_id: "g", hook_event_name: "x", timestamp: 42 })).toBeNull();
    expect(AGENTS.gemini.hookTime!({ session_id: "g", hook_event_name: "x", timestamp: "soon" })).toBeNull();
  });
});

describe("OTLP logs", () => {
  it("maps Claude Code's export: one session, event times from timeUnixNano, usage on api_request", () => {
    const { events, rejected } = mapOtlpLogs(fixture("otlp/claude-code-logs.json"));
    expect(rejected).toBe(0);
    expect(events.map((e) => [e.sessionId, e.source, e.host, e.mapped.kind, e.mapped.name])).toEqual([
      ["3f6d2a1e-8b4c-4e0f-9a57-2c1d7e9b5a10", "claude-code", "dev-laptop", "prompt", "claude_code.user_prompt"],
      ["3f6d2a1e-8b4c-4e0f-9a57-2c1d7e9b5a10", "claude-code", "dev-laptop", "activity", "claude_code.api_request"],
      ["3f6d2a1e-8b4c-4e0f-9a57-2c1d7e9b5a10", "claude-code", "dev-laptop", "tool", "claude_code.tool_result"],
    ]);
    expect(events[0].timeMs).toBe(1763719334512);
    expect(events[0].mapped.detail).toBe("prompt of 78 characters");
    expect(events[1].mapped.usage).toEqual({
      input_tokens: 1204,
      output_tokens: 655,
      cache_read_tokens: 18250,
      cache_creation_tokens: 2210,
      cost_usd: 0.0421,
      model: "claude-sonnet-4-5-20250929",
      api_error: false,
      tool_call: null,
    });
    expect(events[2].mapped).toMatchObject({ tool: "Bash", usage: { tool_call: "otel" } });
  });

  it("maps Codex's export: conversation.id is the session, observedTimeUnixNano when timeUnixNano is 0", () => {
    const { events } = mapOtlpLogs(fixture("otlp/codex-logs.json"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      sessionId: "0199a2f4-6c1e-7b30-9d5a-3e8f1c2b4a77",
      source: "codex",
      timeMs: 1763719600100,
      mapped: { kind: "activity", name: "codex.api_request", usage: { model: "gpt-5-codex" } },
    });
  });

  it("falls back to event.timestamp, rejects records without a session, and never ends a session on an ordinary record", () => {
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  body: { stringValue: "claude_code.api_error" },
                  attributes: [
                    { key: "session.id", value: { stringValue: "s1" } },
                    { key: "event.timestamp", value: { stringValue: "2026-11-21T10:00:00Z" } },
                    { key: "error", value: { stringValue: "overloaded" } },
                    { key: "status_code", value: { intValue: 529 } },
                  ],
                },
                { body: { stringValue: "claude_code.user_prompt" }, attributes: [] },
                { timeUnixNano: "0", attributes: [{ key: "session.id", value: { stringValue: "s1" } }] },
              ],
            },
          ],
        },
      ],
    };
    const { events, rejected, rejectionReason } = mapOtlpLogs(request);
    expect(rejected).toBe(1);
    expect(rejectionReason).toMatch(/session\.id/);
    expect(events[0]).toMatchObject({
      timeMs: Date.UTC(2026, 10, 21, 10),
      mapped: { kind: "activity", detail: "overloaded · status 529", usage: { api_error: true } },
    });
    expect(events[1]).toMatchObject({ timeMs: null, mapped: { kind: "activity" } });
    expect(events.every((e) => e.mapped.kind !== "end")).toBe(true);
  });

  it("gives the same record the same identity, and different records different ones", () => {
    const a = mapOtlpLogs(fixture("otlp/claude-code-logs.json")).events.map((e) => e.identity);
    const b = mapOtlpLogs(JSON.parse(JSON.stringify(fixture("otlp/claude-code-logs.json")))).events.map(
      (e) => e.identity,
    );
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });

  it("refuses what is not an export", () => {
    expect(() => mapOtlpLogs({ resourceLogs: "nope" })).toThrow(/OTLP logs/);
    expect(() => mapOtlpLogs(null)).toThrow();
    expect(mapOtlpLogs({}).events).toEqual([]);
  });
});

describe("OTLP spans", () => {
  const span = (name: string, startNs: string, endNs: string, spanId: string) => ({
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId,
    name,
    startTimeUnixNano: startNs,
    endTimeUnixNano: endNs,
    attributes: [{ key: "session.id", value: { stringValue: "s" } }],
  });
  const request = (...spans: unknown[]) => ({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
        scopeSpans: [{ spans }],
      },
    ],
  });

  it("counts spans, ends a session only on an explicit end signal that lasted", () => {
    const { events } = mapOtlpSpans(
      request(
        span("llm_request", "1763719334000000000", "1763719335000000000", "a1"),
        span("session.end", "1763719336000000000", "1763719336000000000", "a2"),
        span("claude_code.session_end", "1763719337000000000", "1763719338000000000", "a3"),
      ),
    );
    expect(events.map((e) => e.mapped.kind)).toEqual(["span", "span", "end"]);
    expect(events[2]).toMatchObject({ timeMs: 1763719338000, mapped: { end_reason: "session_end" } });
  });

  it("a zero-length span leaves the session as it was", () => {
    const { events } = mapOtlpSpans(request(span("session.end", "1763719336000000000", "1763719336000000000", "z1")));
    const base = applyEvent(newSession("s", "claude-code"), {
      kind: "prompt",
      time: 1763719330000,
      source: "claude-code",
      cwd: null,
      project: null,
      host: null,
      detail: "hi",
      waitingReason: null,
      endReason: null,
      endDetail: null,
    });
    const after = applyEvent(base, {
      ...(base as unknown as LifecycleEvent),
      kind: events[0].mapped.kind,
      time: events[0].timeMs!,
    } as LifecycleEvent);
    expect(after).toMatchObject({ status: "active", lastEventAt: 1763719330000, eventCount: 1, spanCount: 1 });
  });
});

describe("helpers", () => {
  it.each([
    ["1763719334512000000", 1763719334512],
    ["0", null],
    [0, null],
    [undefined, null],
    ["garbage", null],
  ])("nanosToMs(%j) = %j", (input, ms) => {
    expect(nanosToMs(input)).toBe(ms);
  });

  it.each([
    ["claude-code", "claude-code"],
    ["codex_cli_rs", "codex"],
    ["gemini-cli", "gemini"],
    ["my-agent", "my-agent"],
    [null, "otel"],
  ])("service.name %j is source %j", (name, source) => {
    expect(sourceFromServiceName(name)).toBe(source);
  });
});
