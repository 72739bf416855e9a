import { applyEvent, close, type LifecycleEvent, newSession, reap, type SessionState } from "./lifecycle";
import { toSessionJson } from "./session-json";
import type { EventKind } from "./event";

// Lifecycle rule 14: a wait's start, what it is for, and the time spent waiting on the user.
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;

function ev(kind: EventKind, second: number, extra: Partial<LifecycleEvent> = {}): LifecycleEvent {
  return {
    kind,
    time: at(second),
    source: "claude-code",
    cwd: "/w",
    project: "w",
    host: "h",
    detail: null,
    waitingReason: null,
    endReason: kind === "end" ? "session_end" : null,
    endDetail: null,
    ...extra,
  };
}
const fold = (events: LifecycleEvent[]): SessionState => events.reduce(applyEvent, newSession("s1", "claude-code"));
const permission = (second: number, extra: Partial<LifecycleEvent> = {}) =>
  ev("attention", second, { waitingReason: "permission", tool: "Bash", detail: "npm test", ...extra });

describe("waits (rule 14)", () => {
  it("a permission wait starts at its event and says the tool and its command", () => {
    const s = fold([ev("start", 0), ev("tool", 1), permission(3)]);
    expect(s).toMatchObject({ status: "waiting", waitingReason: "permission", waitingSince: at(3) });
    expect(s.waitingDetail).toBe("Bash: npm test");
    expect(toSessionJson(s)).toMatchObject({
      waiting_since: new Date(at(3)).toISOString(),
      waiting_detail: "Bash: npm test",
      waited_ms: 0,
    });
  });

  it("the same reason again goes on with the wait: its start and its detail stay", () => {
    const s = fold([
      ev("start", 0),
      permission(3),
      permission(9, { tool: null, detail: "Claude needs your permission" }),
    ]);
    expect(s).toMatchObject({ waitingSince: at(3), waitingDetail: "Bash: npm test", statusAt: at(9) });
  });

  it("idle goes on with any wait; another reason starts a new one", () => {
    const idle = fold([ev("start", 0), ev("turn_end", 5), ev("attention", 65, { waitingReason: "idle" })]);
    expect(idle).toMatchObject({ waitingReason: "idle", waitingSince: at(5) });
    const dialog = fold([
      ev("start", 0),
      permission(3),
      ev("attention", 70, { waitingReason: "idle" }),
      ev("tool", 80),
    ]);
    expect(dialog).toMatchObject({ status: "active", waitedMs: 77_000 });
    const question = fold([
      ev("start", 0),
      permission(3),
      ev("attention", 8, { waitingReason: "question", detail: "Which db?" }),
    ]);
    expect(question).toMatchObject({
      waitingReason: "question",
      waitingSince: at(8),
      waitingDetail: "Which db?",
      waitedMs: 5000,
    });
  });

  it("an answered wait adds its length to waited_ms; a finished turn does not count", () => {
    const s = fold([ev("start", 0), permission(3), ev("tool", 10), ev("turn_end", 20), ev("prompt", 80)]);
    expect(s).toMatchObject({ status: "active", waitingSince: null, waitingDetail: null, waitedMs: 7000 });
    expect(toSessionJson(s)).toMatchObject({ waiting_since: null, waiting_detail: null, waited_ms: 7000 });
  });

  it("an end, a close or the reaper ends the wait at the session's end", () => {
    expect(fold([ev("start", 0), permission(3), ev("end", 13)]).waitedMs).toBe(10_000);
    const open = fold([ev("start", 0), permission(3)]);
    expect(close({ ...open, aliveAt: at(30) })).toMatchObject({ waitedMs: 27_000, waitingSince: null });
    expect(reap(open, at(100))).toMatchObject({ waitedMs: 0, waitingSince: null, endedAt: at(3) });
  });

  it("a revived session starts a new wait", () => {
    const s = fold([ev("start", 0), ev("end", 2), permission(5)]);
    expect(s).toMatchObject({ status: "waiting", waitingSince: at(5), reopenCount: 1 });
  });

  it("the state does not depend on arrival order once folded in time order", () => {
    const events = [ev("start", 0), permission(3), permission(9), ev("tool", 12), ev("turn_end", 15)];
    expect(fold(events).waitedMs).toBe(9000);
  });
});
