import { applyEvent, close, durationMs, isStale, type LifecycleEvent, newSession, reap, type SessionState } from "./lifecycle";
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

const fold = (events: LifecycleEvent[], from: SessionState = newSession("s1", "claude-code")) => events.reduce(applyEvent, from);

type Expect = Partial<Pick<SessionState, "status" | "waitingReason" | "endReason" | "endedAt" | "startedAt" | "lastEventAt" | "reopenCount" | "eventCount">>;

describe("applyEvent: status follows the newest event (rules 2–5), in any arrival order", () => {
  const cases: Array<[string, LifecycleEvent[], Expect]> = [
    ["start → active", [ev("start", 0)], { status: "active", waitingReason: null, startedAt: at(0), lastEventAt: at(0), eventCount: 1 }],
    ["prompt → active", [ev("start", 0), ev("prompt", 1)], { status: "active" }],
    ["tool → active", [ev("start", 0), ev("tool", 1)], { status: "active" }],
    ["activity → active", [ev("turn_end", 0), ev("activity", 1)], { status: "active", waitingReason: null }],
    ["turn_end → waiting (turn_end)", [ev("start", 0), ev("turn_end", 5)], { status: "waiting", waitingReason: "turn_end" }],
    ["attention → waiting with its reason", [ev("start", 0), ev("attention", 5, { waitingReason: "idle" })], { status: "waiting", waitingReason: "idle" }],
    ["attention without a reason → waiting (attention)", [ev("attention", 5, { waitingReason: null })], { status: "waiting", waitingReason: "attention" }],
    ["tool after attention → active again", [ev("attention", 1), ev("tool", 2)], { status: "active", waitingReason: null }],
    ["end → ended at the end's own time", [ev("start", 0), ev("end", 9)], { status: "ended", endReason: "session_end", endedAt: at(9) }],
    ["end with process_exit keeps the reason", [ev("start", 0), ev("end", 9, { endReason: "process_exit" })], { status: "ended", endReason: "process_exit" }],
    ["late older turn_end does not override a newer tool", [ev("tool", 20), ev("turn_end", 10)], { status: "active", startedAt: at(10), lastEventAt: at(20) }],
    ["the same pair in time order ends waiting", [ev("tool", 10), ev("turn_end", 20)], { status: "waiting" }],
    ["late older end does not end a session with newer activity", [ev("tool", 20), ev("end", 10)], { status: "active", endedAt: null }],
    ["ties go to the later arrival", [ev("tool", 10), ev("turn_end", 10)], { status: "waiting" }],
    ["event older than the end is stored, changes nothing", [ev("end", 30), ev("tool", 20)], { status: "ended", endedAt: at(30), eventCount: 2, startedAt: at(20), lastEventAt: at(30) }],
    ["event at the end's time changes nothing", [ev("end", 30), ev("prompt", 30)], { status: "ended", endedAt: at(30), reopenCount: 0 }],
    ["newer prompt reopens (active), end fields cleared", [ev("end", 30), ev("prompt", 40)], { status: "active", endReason: null, endedAt: null, reopenCount: 1 }],
    ["newer turn_end reopens as waiting", [ev("end", 30), ev("turn_end", 40)], { status: "waiting", waitingReason: "turn_end", reopenCount: 1 }],
    ["reopened then ended again", [ev("end", 30), ev("prompt", 40), ev("end", 50)], { status: "ended", endedAt: at(50), reopenCount: 1 }],
    ["a second explicit end never replaces the first", [ev("end", 30), ev("end", 31, { endReason: "process_exit" })], { status: "ended", endReason: "session_end", endedAt: at(30), reopenCount: 0 }],
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
    expect(fold([ev("prompt", 10, { detail: "first\n  prompt" }), ev("prompt", 20, { detail: "later" })]).title).toBe("first prompt");
  });
});

describe("reap (rule 6) and close", () => {
  const live = fold([ev("start", 0), ev("turn_end", 60)]);

  it("leaves a session alone while its last event is after the cutoff", () => {
    expect(isStale(live, at(60))).toBe(false);
    expect(reap(live, at(60))).toBeNull();
  });

  it("ends a silent session at its last event, not at the time the reaper ran", () => {
    expect(reap(live, at(61))).toMatchObject({ status: "ended", endReason: "stale", endedAt: at(60), waitingReason: null });
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

describe("durationMs", () => {
  it("is last_event_at − started_at while open, ended_at − started_at once ended", () => {
    const open = fold([ev("start", 0), ev("tool", 30)]);
    expect(durationMs(open)).toBe(30_000);
    expect(durationMs(fold([ev("start", 0), ev("end", 45), ev("tool", 40)]))).toBe(45_000);
    expect(durationMs(newSession("x", "y"))).toBeNull();
  });
});
