import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS } from "./agents";
import { hookInputSchema as claudeCodeHookSchema } from "./hook-input";
import { applyEvent, newSession, reap } from "./lifecycle";
import { buildEvent, toLifecycleEvent } from "./normalize";

const FIXTURES = join(__dirname, "../../../test/fixtures/claude-code");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
const map = (payload: unknown) => AGENTS["claude-code"].mapHook(claudeCodeHookSchema.parse(payload))!;

describe("Claude Code hook mapping (lifecycle rule 1)", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["session-start.json", { kind: "start", name: "SessionStart", detail: "startup" }],
    [
      "user-prompt-submit.json",
      { kind: "prompt", detail: "Fix the flaky retry test in src/queue/retry.test.ts and explain the root cause" },
    ],
    ["pre-tool-use.json", { kind: "tool", tool: "Bash", detail: "npx jest src/queue/retry.test.ts" }],
    ["post-tool-use.json", { kind: "tool", tool: "Bash" }],
    ["stop.json", { kind: "turn_end" }],
    ["notification-permission.json", { kind: "attention", waiting_reason: "permission" }],
    ["notification-idle.json", { kind: "attention", waiting_reason: "idle" }],
    ["session-end.json", { kind: "end", end_reason: "session_end", end_detail: "prompt_input_exit" }],
    ["session-end-clear.json", { kind: "end", end_detail: "clear" }],
    ["subagent-start.json", { kind: "activity", detail: "Explore" }],
    ["subagent-stop.json", { kind: "activity" }],
    ["pre-compact.json", { kind: "activity", detail: "auto" }],
  ];

  it.each(cases)("%s", (file, expected) => {
    expect(map(fixture(file))).toMatchObject(expected);
  });

  it.each([
    [
      { hook_event_name: "PermissionRequest", tool_name: "Edit", tool_input: { file_path: "/a/b.ts" } },
      { kind: "attention", waiting_reason: "permission", tool: "Edit", detail: "/a/b.ts" },
    ],
    [
      { hook_event_name: "Notification", notification_type: "elicitation_dialog" },
      { kind: "attention", waiting_reason: "question" },
    ],
    [
      { hook_event_name: "Notification", notification_type: "auth_success", message: "ok" },
      { kind: "activity", waiting_reason: null, signal: "bookkeeping" },
    ],
    [{ hook_event_name: "Notification", notification_type: "something_new" }, { kind: "activity" }],
    [
      { hook_event_name: "SomeFutureHook", whatever: [1, 2] },
      { kind: "activity", name: "SomeFutureHook" },
    ],
  ])("%j", (fields, expected) => {
    expect(map({ session_id: "s", ...fields })).toMatchObject(expected);
  });

  it("ignores fields it does not know, and a cwd of the wrong type", () => {
    const parsed = claudeCodeHookSchema.parse({ session_id: "s", hook_event_name: "Stop", cwd: 42, extra: { a: 1 } });
    expect(parsed.cwd).toBeNull();
    expect(parsed.extra).toEqual({ a: 1 });
  });

  it("rejects a missing session_id or hook_event_name", () => {
    expect(claudeCodeHookSchema.safeParse({ hook_event_name: "Stop" }).success).toBe(false);
    expect(claudeCodeHookSchema.safeParse({ session_id: " ", hook_event_name: "Stop" }).success).toBe(false);
    expect(claudeCodeHookSchema.safeParse({ session_id: "x".repeat(201), hook_event_name: "Stop" }).success).toBe(
      false,
    );
    expect(claudeCodeHookSchema.safeParse({ session_id: "s" }).success).toBe(false);
  });

  it("replays the typical 7.5-minute session to an honest end state", () => {
    const start = Date.UTC(2026, 10, 21, 9, 0, 0);
    const lines = readFileSync(join(FIXTURES, "typical-session.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    let session = newSession("3f6d2a1e-8b4c-4e0f-9a57-2c1d7e9b5a10", "claude-code");
    lines.forEach((line, i) => {
      const hook = claudeCodeHookSchema.parse(line.event);
      const event = buildEvent(
        { session_id: hook.session_id, source: "claude-code", cwd: hook.cwd },
        AGENTS["claude-code"].mapHook(hook)!,
        { key: `k${i}`, receivedMs: start + line.offset_ms + 5, stampedMs: start + line.offset_ms, host: "dev-laptop" },
        line.event,
      );
      session = applyEvent(session, toLifecycleEvent(event));
      // The 4.7-minute idle gap in this session is shorter than the 5-minute default timeout.
      if (i < lines.length - 1) expect(reap(session, start + lines[i + 1].offset_ms - 5 * 60_000)).toBeNull();
    });
    expect(session).toMatchObject({
      status: "ended",
      endReason: "session_end",
      endDetail: "prompt_input_exit",
      startedAt: start,
      endedAt: start + 455_000,
      eventCount: lines.length,
      project: "acme-api",
      title: "Fix the flaky retry test in src/queue/retry.test.ts and explain the root cause",
      reopenCount: 0,
    });
  });
});
