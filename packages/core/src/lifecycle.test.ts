import {
  applyEvent,
  close,
  durationMs,
  isStale,
  type LifecycleEvent,
  livenessIntervalMs,
  newSession,
  reap,
  type SessionState,
} from "./lifecycle";
import type { EventKind } from "./event";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const at = (s: number) => T0 + s * 1000;

function ev(kind: EventKind, second: number, extra: Partial<LifecycleEvent> = {}): LifecycleEvent {
  return {
    kind,
    time: at(second),
    source: "claude-code",
    cwd: "/home/dev/acme-api",
    project: "acme-api",
    host: "dev-laptop",
    detail: null,
    waitingReason: kind === "attention" ? "permission" : null,
    endReason: kind === "end" ? "session_end" : null,
    endDetail: null,
    ...extra,
  };
}

const fold = (events: LifecycleEvent[], from: SessionState = newSession("s1", "claude-code")) =>
  events.reduce(applyEvent, from);

type Expect = Partial<
  Pick<
    SessionState,
    "status" | "waitingReason" | "endReason" | "endedAt" | "startedAt" | "lastEventAt" | "reopenCount" | "eventCount"
  >
>;

describe("applyEvent: status follows the newest event (rules 2–5), in any arrival order", () => {
  const cases: Array<[string, LifecycleEvent[], Expect]> = [
    [
      "start → active",
      [ev("start", 0)],
      { status: "active", waitingReason: null, startedAt: at(0), lastEventAt: at(0), eventCount: 1 },
    ],
    ["prompt → active", [ev("start", 0), ev("prompt", 1)], { status: "active" }],
    ["tool → active", [ev("start", 0), ev("tool", 1)], { status: "active" }],
    ["activity → active", [ev("turn_end", 0), ev("activity", 1)], { status: "active", waitingReason: null }],
    [
      "turn_end → waiting (turn_end)",
      [ev("start", 0), ev("turn_end", 5)],
      { status: "waiting", waitingReason: "turn_end" },
    ],
    [
      "attention → waiting with its reason",
      [ev("start", 0), ev("attention", 5, { waitingReason: "idle" })],
      { status: "waiting", waitingReason: "idle" },
    ],
    [
      "attention without a reason → waiting (attention)",
      [ev("attention", 5, { waitingReason: null })],
      { status: "waiting", waitingReason: "attention" },
    ],
    [
      "tool after attention → active again",
      [ev("attention", 1), ev("tool", 2)],
      { status: "active", waitingReason: null },
    ],
    [
      "end → ended at the end's own time",
      [ev("start", 0), ev("end", 9)],
      { status: "ended", endReason: "session_end", endedAt: at(9) },
    ],
    [
      "end with process_exit keeps the reason",
      [ev("start", 0), ev("end", 9, { endReason: "process_exit" })],
      { status: "ended", endReason: "process_exit" },
    ],
    [
      "late older turn_end does not override a newer tool",
      [ev("tool", 20), ev("turn_end", 10)],
      { status: "active", startedAt: at(10), lastEventAt: at(20) },
    ],
    ["the same pair in time order ends waiting", [ev("tool", 10), ev("turn_end", 20)], { status: "waiting" }],
    [
      "late older end does not end a session with newer activity",
      [ev("tool", 20), ev("end", 10)],
      { status: "active", endedAt: null },
    ],
    ["ties go to the later arrival", [ev("tool", 10), ev("turn_end", 10)], { status: "waiting" }],
    [
      "event older than the end is stored, changes nothing",
      [ev("end", 30), ev("tool", 20)],
      { status: "ended", endedAt: at(30), eventCount: 2, startedAt: at(20), lastEventAt: at(30) },
    ],
    [
      "event at the end's time changes nothing",
      [ev("end", 30), ev("prompt", 30)],
      { status: "ended", endedAt: at(30), reopenCount: 0 },
    ],
    [
      "newer prompt reopens (active), end fields cleared",
      [ev("end", 30), ev("prompt", 40)],
      { status: "active", endReason: null, endedAt: null, reopenCount: 1 },
    ],
    [
      "newer turn_end reopens as waiting",
      [ev("end", 30), ev("turn_end", 40)],
      { status: "waiting", waitingReason: "turn_end", reopenCount: 1 },
    ],
    [
      "reopened then ended again",
      [ev("end", 30), ev("prompt", 40), ev("end", 50)],
      { status: "ended", endedAt: at(50), reopenCount: 1 },
    ],
    [
      "a second explicit end never replaces the first",
      [ev("end", 30), ev("end", 31, { endReason: "process_exit" })],
      { status: "ended", endReason: "session_end", endedAt: at(30), reopenCount: 0 },
    ],
  ];

  it.each(cases)("%s", (_name, events, expected) => {
    expect(fold(events)).toMatchObject(expected);
  });

  it("records cwd, project and host from the first event that has them", () => {
    const s = fold([ev("start", 0, { cwd: null, project: null, host: null }), ev("prompt", 1)]);
    expect(s).toMatchObject({ cwd: "/home/dev/acme-api", project: "acme-api", host: "dev-laptop" });
  });

  it("titles a session with its first prompt (by time, not arrival), cut to 80 characters", () => {
    const long = "word ".repeat(40);
    const s = fold([ev("prompt", 20, { detail: "second prompt" }), ev("prompt", 10, { detail: long })]);
    expect(Array.from(s.title ?? "")).toHaveLength(80);
    expect(s.title?.endsWith("…")).toBe(true);
    expect(fold([ev("prompt", 10, { detail: "first\n  prompt" }), ev("prompt", 20, { detail: "later" })]).title).toBe(
      "first prompt",
    );
  });
});

describe("reap (rule 8) and close (rule 10)", () => {
  const live = fold([ev("start", 0), ev("turn_end", 60)]);

  it("leaves a session alone while its last event is after the cutoff", () => {
    expect(isStale(live, at(60))).toBe(false);
    expect(reap(live, at(60))).toBeNull();
  });

  it("ends a silent session at its last event, not at the time the reaper ran", () => {
    expect(reap(live, at(61))).toMatchObject({
      status: "ended",
      endReason: "stale",
      endedAt: at(60),
      waitingReason: null,
    });
  });

  it("never reaps an ended session", () => {
    expect(reap(fold([ev("end", 5)]), at(1000))).toBeNull();
  });

  it("an explicit end arriving after a reap replaces the inferred end without counting a reopen", () => {
    const reaped = reap(live, at(1000))!;
    expect(applyEvent(reaped, ev("end", 90, { endDetail: "exit" }))).toMatchObject({
      status: "ended",
      endReason: "session_end",
      endDetail: "exit",
      endedAt: at(90),
      reopenCount: 0,
    });
  });

  it("a newer event revives a reaped session", () => {
    const reaped = reap(live, at(1000))!;
    expect(applyEvent(reaped, ev("prompt", 400))).toMatchObject({ status: "active", endReason: null, reopenCount: 1 });
  });

  it("close ends at the last event and is idempotent", () => {
    const closed = close(live);
    expect(closed).toMatchObject({ status: "ended", endReason: "closed", endedAt: at(60) });
    expect(close(closed)).toBe(closed);
  });
});

describe("signals (rules 1 and 6): only status changes status", () => {
  const telemetry = (kind: EventKind, second: number, extra: Partial<LifecycleEvent> = {}) =>
    ev(kind, second, { signal: "telemetry", ...extra });
  const waiting = fold([ev("start", 0), ev("prompt", 1, { detail: "Fix the build" }), ev("turn_end", 5)]);

  it.each([
    ["telemetry", "telemetry"],
    ["bookkeeping", "bookkeeping"],
  ] as const)("%s after a turn leaves the session waiting, counted", (_name, signal) => {
    const after = fold([ev("activity", 9, { signal }), ev("prompt", 10, { signal, detail: "<REDACTED>" })], waiting);
    expect(after).toMatchObject({
      status: "waiting",
      waitingReason: "turn_end",
      title: "Fix the build",
      eventCount: 5,
      lastEventAt: at(10),
    });
  });

  it("telemetry never reopens an ended session", () => {
    const ended = fold([ev("end", 6)], waiting);
    expect(fold([telemetry("activity", 20), telemetry("prompt", 21, { detail: "hi" })], ended)).toMatchObject({
      status: "ended",
      endReason: "session_end",
      reopenCount: 0,
    });
  });

  it("telemetry still counts usage", () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 5,
      cache_read_tokens: null,
      cache_creation_tokens: null,
      cost_usd: 0.5,
      model: "m",
      api_error: false,
      tool_call: null,
    };
    expect(fold([telemetry("activity", 9, { usage })], waiting)).toMatchObject({
      inputTokens: 10,
      outputTokens: 5,
      costMicros: 500_000,
      model: "m",
      status: "waiting",
    });
  });

  it("on a session with no status source (OpenTelemetry only) telemetry stands in for status", () => {
    const otlpOnly = fold([telemetry("prompt", 0, { detail: "prompt of 12 characters" }), telemetry("activity", 3)]);
    expect(otlpOnly).toMatchObject({
      status: "active",
      hasStatusSignal: false,
      title: "prompt of 12 characters",
      titleAt: null,
    });
    // The first status event decides afresh, even if older than what telemetry stood in for.
    const hooked = fold([ev("turn_end", 2)], otlpOnly);
    expect(hooked).toMatchObject({ status: "waiting", hasStatusSignal: true });
    // A real prompt replaces the placeholder title, whenever it came.
    expect(fold([ev("prompt", 1, { detail: "Real prompt" })], otlpOnly).title).toBe("Real prompt");
    expect(fold([ev("prompt", 9, { detail: "Real prompt" })], otlpOnly).title).toBe("Real prompt");
  });

  it("a placeholder prompt never titles a session that has a status source", () => {
    expect(fold([ev("start", 0), telemetry("prompt", 1, { detail: "<REDACTED>" })]).title).toBeNull();
    expect(fold([ev("start", 0), ev("prompt", 1, { detail: "[REDACTED]" })]).title).toBeNull();
  });
});

describe("proof of life (rules 7 and 8)", () => {
  const alive = (second: number) => ev("tool", second, { kind: "alive", signal: "liveness" });
  const waiting = fold([ev("start", 0), ev("turn_end", 5)]);

  it("moves alive_at only: no status, no count, no revival", () => {
    const after = fold([alive(100), alive(50)], waiting);
    expect(after).toMatchObject({ status: "waiting", aliveAt: at(100), lastEventAt: at(5), eventCount: 2 });
    expect(fold([alive(200)], fold([ev("end", 10)], waiting))).toMatchObject({ status: "ended", reopenCount: 0 });
  });

  it("a session that proves life is not stale; without it, it is, ended at its last sign of life", () => {
    const proven = fold([alive(100)], waiting);
    expect(isStale(proven, at(90))).toBe(false);
    expect(reap(proven, at(90))).toBeNull();
    expect(reap(proven, at(101))).toMatchObject({ status: "ended", endReason: "stale", endedAt: at(100) });
    expect(close(proven)).toMatchObject({ endReason: "closed", endedAt: at(100) });
  });

  it("the watcher's interval is a quarter of the timeout, between 1 s and 60 s", () => {
    expect(livenessIntervalMs(5 * 60_000)).toBe(60_000);
    expect(livenessIntervalMs(2 * 60_000)).toBe(30_000);
    expect(livenessIntervalMs(3_000)).toBe(1_000);
  });
});

describe("durationMs", () => {
  it("is last_event_at − started_at while open, ended_at − started_at once ended", () => {
    const open = fold([ev("start", 0), ev("tool", 30)]);
    expect(durationMs(open)).toBe(30_000);
    expect(durationMs(fold([ev("start", 0), ev("end", 45), ev("tool", 40)]))).toBe(45_000);
    expect(durationMs(newSession("x", "y"))).toBeNull();
  });
});
