import type { EventKind } from "./event";
import { applyEvent, close, type LifecycleEvent, newSession, reap, type SessionState } from "./lifecycle";
import { concurrencyTimeline, type TimelineSession } from "./timeline";

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const TIMEOUT = 5 * MIN;

const ev = (kind: EventKind, minutesAgo: number): LifecycleEvent => ({
  kind,
  time: NOW - minutesAgo * MIN,
  source: "x",
  cwd: null,
  project: null,
  host: null,
  detail: null,
  waitingReason: null,
  endReason: kind === "end" ? "session_end" : null,
  endDetail: null,
});

function session(id: string, events: LifecycleEvent[], finish?: (s: SessionState) => SessionState): TimelineSession {
  const folded = events.reduce(applyEvent, newSession(id, "x"));
  const current = finish ? finish(folded) : folded;
  return { id, source: "x", status: current.status, endReason: current.endReason, endedAt: current.endedAt, events };
}

/** [working, waiting] at each of the given minutes-ago instants (oldest first, 10-minute steps). */
function draw(sessions: TimelineSession[], fromMinutesAgo: number): Array<[number, number]> {
  const buckets = fromMinutesAgo / 10 + 1;
  const timeline = concurrencyTimeline(sessions, {
    fromMs: NOW - fromMinutesAgo * MIN,
    toMs: NOW,
    buckets,
    staleTimeoutMs: TIMEOUT,
  });
  return timeline.points.map((p) => [p.working, p.waiting]);
}

describe("concurrencyTimeline", () => {
  it("counts a session working, then waiting, then ended by its own end event", () => {
    // Start 45 min ago, working; waiting from 25 min ago (prompts in between keep it alive); ends 5 min ago.
    const s = session("a", [
      ev("start", 45),
      ev("tool", 41),
      ev("tool", 37),
      ev("tool", 33),
      ev("tool", 29),
      ev("turn_end", 25),
      ev("attention", 21),
      ev("attention", 17),
      ev("attention", 13),
      ev("attention", 9),
      ev("end", 5),
    ]);
    // Instants: 50, 40, 30, 20, 10, 0 minutes ago.
    expect(draw([s], 50)).toEqual([
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 0],
    ]);
  });

  it("a silence longer than the timeout ends the session at the event before it, as the reaper does", () => {
    // Waiting 44 and 40 min ago, then silent for 15 min (so ended at 40), then reopened 25 min ago.
    const s = session("b", [
      ev("turn_end", 44),
      ev("attention", 40),
      ev("prompt", 25),
      ev("tool", 21),
      ev("tool", 17),
      ev("tool", 13),
      ev("tool", 9),
      ev("tool", 5),
      ev("tool", 1),
    ]);
    // Instants 50…0: before it, ended at 40 (the silence), then working.
    expect(draw([s], 50)).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  it("a silence closed by the agent's own end event is not a death: the end replaces the inferred one", () => {
    const s = session("c", [ev("start", 40), ev("end", 15)]);
    expect(draw([s], 40)).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it("a session silent since its last event (reaped, or about to be) is not drawn after it", () => {
    const reaped = session("d", [ev("start", 32), ev("turn_end", 31)], (s) => reap(s, NOW - TIMEOUT)!);
    const unreaped = session("e", [ev("start", 32), ev("turn_end", 31)]);
    expect(draw([reaped, unreaped], 40)).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it("a live session is drawn up to now, and a closed one only until its end", () => {
    const live = session("f", [
      ev("start", 35),
      ev("tool", 31),
      ev("tool", 27),
      ev("tool", 23),
      ev("tool", 19),
      ev("tool", 15),
      ev("tool", 11),
      ev("tool", 7),
      ev("turn_end", 3),
    ]);
    const closed = session(
      "g",
      [ev("start", 35), ev("tool", 31), ev("tool", 27), ev("tool", 23), ev("tool", 21)],
      close,
    );
    expect(draw([live, closed], 40)).toEqual([
      [0, 0],
      [2, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
  });
});
