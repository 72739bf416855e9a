// Every adapter against the payloads its real binary sent (test/fixtures/real, copied from
// ../shared/fixtures/real): what each hook event means, that every installed event was seen from the
// binary (or is listed as not captured), and that OpenTelemetry never moves a hook session's status.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHookInput } from "../hook-input";
import { type LifecycleEvent, newSession, applyEvent, type SessionState } from "../lifecycle";
import type { MappedEvent } from "../normalize";
import { mapOtlpLogs } from "../otlp";
import { AGENTS, type AgentAdapter } from ".";

const REAL = join(__dirname, "../../../../test/fixtures/real");
const read = (path: string) => JSON.parse(readFileSync(join(REAL, path), "utf8"));
const files = (dir: string) => readdirSync(join(REAL, dir)).filter((f) => f.endsWith(".json"));

type Expected = Partial<Record<keyof MappedEvent, unknown>> | null;

/** What each captured hook payload means (file name without .json). */
const EXPECTED: Record<
  string,
  { dir: string; agent: AgentAdapter; cases: Record<string, Expected>; notCaptured: string[] }
> = {
  "claude-code": {
    dir: "claude-code-2.1.197/hooks",
    agent: AGENTS["claude-code"],
    notCaptured: [],
    cases: {
      "SessionStart-startup": { kind: "start", detail: "startup" },
      "SessionStart-resume": { kind: "start", detail: "resume" },
      "SessionStart-clear": { kind: "start", detail: "clear" },
      "SessionStart-compact": { kind: "start", detail: "compact" },
      UserPromptSubmit: { kind: "prompt" },
      "PreToolUse-Bash": { kind: "tool", tool: "Bash" },
      "PreToolUse-Agent": { kind: "tool", tool: "Agent" },
      "PreToolUse-subagent-Bash": { kind: "tool", tool: "Bash" },
      "PermissionRequest-Bash": {
        kind: "attention",
        waiting_reason: "permission",
        tool: "Bash",
        detail: expect.stringContaining("mkdir -p"),
      },
      "PostToolUse-Bash": { kind: "tool", usage: expect.objectContaining({ tool_call: "hook" }) },
      "PostToolUse-Agent": { kind: "tool" },
      "PostToolUse-subagent-Bash": { kind: "tool" },
      "PostToolUseFailure-Bash": { kind: "tool", usage: expect.objectContaining({ tool_call: "hook" }) },
      PostToolBatch: { kind: "activity" },
      MessageDisplay: { kind: "activity" },
      "Notification-permission_prompt": { kind: "attention", waiting_reason: "permission" },
      "Notification-idle_prompt": { kind: "attention", waiting_reason: "idle" },
      Stop: { kind: "turn_end" },
      StopFailure: {
        kind: "attention",
        waiting_reason: "error",
        detail: "API Error: 400 Mock 400 error",
        usage: expect.objectContaining({ api_error: true }),
      },
      SubagentStart: { kind: "activity" },
      "SubagentStop-general-purpose": { kind: "activity" },
      "SubagentStop-compact": { kind: "activity" },
      "PreCompact-manual": { kind: "activity", detail: "manual" },
      "PostCompact-manual": { kind: "activity" },
      "SessionEnd-prompt_input_exit": { kind: "end", end_reason: "session_end", end_detail: "prompt_input_exit" },
      "SessionEnd-clear": { kind: "end", end_detail: "clear" },
      "SessionEnd-other": { kind: "end", end_detail: "other" },
    },
  },
  codex: {
    dir: "codex-0.171.0/hooks",
    agent: AGENTS.codex,
    // Fired by 0.171 per its hook list, not captured in ../shared/fixtures/real.
    notCaptured: ["PermissionRequest", "StopFailure", "SubagentStart", "SubagentStop"],
    cases: {
      SessionStart: { kind: "start", detail: "startup", usage: expect.objectContaining({ model: "gpt-5-codex" }) },
      UserPromptSubmit: { kind: "prompt" },
      PreToolUse: { kind: "tool" },
      PostToolUse: { kind: "tool", usage: expect.objectContaining({ tool_call: "hook" }) },
      PreCompact: { kind: "activity" },
      PostCompact: { kind: "activity" },
      Stop: { kind: "turn_end" },
      Interrupt: { kind: "attention", waiting_reason: "interrupted" },
      SessionEnd: { kind: "end", end_reason: "session_end", end_detail: "other" },
    },
  },
  gemini: {
    dir: "gemini-0.61.0/hooks",
    agent: AGENTS.gemini,
    notCaptured: ["Notification"],
    cases: {
      SessionStart: { kind: "start" },
      BeforeAgent: { kind: "prompt", detail: "Run echo hello in the shell" },
      AfterAgent: { kind: "turn_end" },
      BeforeTool: { kind: "tool" },
      AfterTool: { kind: "tool", usage: expect.objectContaining({ tool_call: "hook" }) },
      BeforeModel: { kind: "activity" },
      AfterModel: { kind: "activity" },
      BeforeToolSelection: { kind: "activity" },
      PreCompress: { kind: "activity" },
      SessionEnd: { kind: "end", end_reason: "session_end", end_detail: "clear" },
    },
  },
};

describe.each(Object.entries(EXPECTED))(
  "the %s adapter against its real payloads",
  (_id, { dir, agent, cases, notCaptured }) => {
    it.each(files(dir))("%s", (file) => {
      const name = file.replace(/\.json$/, "");
      expect(Object.keys(cases)).toContain(name);
      const input = parseHookInput(agent, read(join(dir, file)));
      expect(input.sessionId).toEqual(expect.any(String));
      const mapped = agent.mapHook(input.body);
      expect(mapped).toMatchObject(cases[name]!);
      // Real events are status, never bookkeeping: only unknown ones are.
      expect(mapped!.signal ?? "status").toBe("status");
    });

    it("installs only events the binary was seen firing (or that are listed as not captured)", () => {
      const seen = new Set(files(dir).map((f) => f.replace(/\.json$/, "").split("-")[0]));
      for (const event of agent.hookEvents)
        expect([event, seen.has(event) || notCaptured.includes(event)]).toEqual([event, true]);
    });
  },
);

describe("Codex notify", () => {
  it("a user's turn end titles the session; the title generator's thread is not a session", () => {
    const notify = read("codex-0.171.0/notify/agent-turn-complete.json");
    expect(AGENTS.codex.mapHook(parseHookInput(AGENTS.codex, notify).body)).toMatchObject({
      kind: "turn_end",
      title: "Run echo hello in the shell and tell me what it printed",
    });
    expect(
      AGENTS.codex.mapHook(
        parseHookInput(AGENTS.codex, read("codex-0.171.0/notify/agent-turn-complete-title-thread.json")).body,
      ),
    ).toBeNull();
  });

  it("Stop and notify of one turn share a key", () => {
    const stop = read("codex-0.171.0/hooks/Stop.json");
    const key = AGENTS.codex.hookKey!(stop);
    expect(key).toMatch(/^codex-turn-end:/);
    expect(
      AGENTS.codex.hookKey!({ type: "agent-turn-complete", "thread-id": stop.session_id, "turn-id": stop.turn_id }),
    ).toBe(key);
  });
});

describe("Gemini SessionEnd, fired 2–3 times per quit, has one key", () => {
  it("every SessionEnd of a session shares a key; other events have none by nature", () => {
    expect(AGENTS.gemini.hookKey!(read("gemini-0.61.0/hooks/SessionEnd.json"))).toBe("gemini-session-end");
    expect(AGENTS.gemini.hookKey!(read("gemini-0.61.0/hooks/AfterAgent.json"))).toBeNull();
  });
});

/** A hook session waiting after its turn, at `t`. */
function waitingSession(source: string, t: number): SessionState {
  const event = (kind: LifecycleEvent["kind"], time: number): LifecycleEvent => ({
    kind,
    time,
    source,
    cwd: "/w",
    project: "w",
    host: "h",
    detail: "Run echo hello",
    waitingReason: null,
    endReason: null,
    endDetail: null,
  });
  return [event("start", t - 2000), event("prompt", t - 1000), event("turn_end", t)].reduce(
    applyEvent,
    newSession("s", source),
  );
}

const toLifecycle = (e: ReturnType<typeof mapOtlpLogs>["events"][number], fallback: number): LifecycleEvent => ({
  kind: e.mapped.kind,
  time: e.timeMs ?? fallback,
  source: e.source,
  cwd: null,
  project: null,
  host: e.host,
  detail: e.mapped.detail,
  waitingReason: e.mapped.waiting_reason,
  endReason: e.mapped.end_reason,
  endDetail: e.mapped.end_detail,
  usage: e.mapped.usage,
  title: e.mapped.title,
  signal: e.mapped.signal,
});

describe.each([
  ["claude-code", "claude-code-2.1.197/otlp/body-logs.json"],
  ["codex", "codex-0.171.0/otlp/body-00245-logs.json"],
  ["gemini", "gemini-0.61.0/otlp/body-00330-logs.json"],
])("%s OpenTelemetry logs (lifecycle rule 6)", (agent, file) => {
  const { events, rejected } = mapOtlpLogs(read(file));

  it("are all telemetry or bookkeeping of the agent's sessions", () => {
    expect(rejected).toBe(0);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.source).toBe(agent);
      expect(["telemetry", "bookkeeping"]).toContain(e.mapped.signal);
    }
  });

  it("after a turn: the session stays waiting, keeps its real title, and counts the tokens", () => {
    const first = Math.min(...events.map((e) => e.timeMs ?? Infinity));
    const before = waitingSession(agent, first - 5000);
    const after = events.map((e) => toLifecycle(e, first)).reduce(applyEvent, before);
    expect(after).toMatchObject({
      status: "waiting",
      waitingReason: "turn_end",
      title: "Run echo hello",
      reopenCount: 0,
    });
    if (agent !== "codex" || events.some((e) => e.mapped.usage?.input_tokens))
      expect(after.inputTokens + after.outputTokens).toBeGreaterThan(0);
  });

  it("never reopen an ended session", () => {
    const first = Math.min(...events.map((e) => e.timeMs ?? Infinity));
    const ended = applyEvent(waitingSession(agent, first - 5000), {
      kind: "end",
      time: first - 4000,
      source: agent,
      cwd: null,
      project: null,
      host: null,
      detail: null,
      waitingReason: null,
      endReason: "session_end",
      endDetail: null,
    });
    const after = events.map((e) => toLifecycle(e, first)).reduce(applyEvent, ended);
    expect(after).toMatchObject({ status: "ended", endReason: "session_end", reopenCount: 0 });
  });

  it("on a session with no other source, stand in for status and title it until a real prompt comes", () => {
    const otlpOnly = events
      .map((e) => toLifecycle(e, 1))
      .sort((a, b) => a.time - b.time)
      .reduce(applyEvent, newSession("s", agent));
    expect(otlpOnly.status).toBe("active");
    expect(otlpOnly.hasStatusSignal).toBe(false);
  });
});

describe("placeholders never title a session with a real prompt", () => {
  it("Claude Code's <REDACTED> user_prompt, stamped 20 ms before the hook, does not win the title", () => {
    const { events } = mapOtlpLogs(read("claude-code-2.1.197/otlp/body-logs.json"));
    const prompt = events.find((e) => e.mapped.kind === "prompt")!;
    expect(prompt.mapped.detail).toBe("<REDACTED>");
    const t = prompt.timeMs!;
    const hookPrompt: LifecycleEvent = {
      kind: "prompt",
      time: t + 20,
      source: "claude-code",
      cwd: null,
      project: null,
      host: null,
      detail: "Fix the build",
      waitingReason: null,
      endReason: null,
      endDetail: null,
    };
    const start: LifecycleEvent = { ...hookPrompt, kind: "start", time: t - 1000, detail: "startup" };
    // Either arrival order gives the real prompt.
    expect([start, toLifecycle(prompt, t), hookPrompt].reduce(applyEvent, newSession("s", "claude-code")).title).toBe(
      "Fix the build",
    );
    expect([start, hookPrompt, toLifecycle(prompt, t)].reduce(applyEvent, newSession("s", "claude-code")).title).toBe(
      "Fix the build",
    );
    // OpenTelemetry only: the placeholder stands in, and a real prompt later replaces it.
    const alone = applyEvent(newSession("s", "claude-code"), toLifecycle(prompt, t));
    expect(alone.title).toBe("<REDACTED>");
    expect(applyEvent(alone, { ...hookPrompt, time: t + 60_000 }).title).toBe("Fix the build");
  });
});

describe("docs/agents.md", () => {
  const doc = readFileSync(join(__dirname, "../../../../docs/agents.md"), "utf8");
  it.each(Object.values(AGENTS).map((a) => [a.id, a] as const))("lists every hook event %s installs", (id, agent) => {
    const section = doc.slice(doc.indexOf(`(\`${id}\`)`));
    expect(section.length).toBeLessThan(doc.length);
    for (const event of agent.hookEvents) expect([event, section.includes(`\`${event}\``)]).toEqual([event, true]);
  });
});
