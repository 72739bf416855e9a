// The concurrency chart's "now" agrees with "Working now" (stats.active): telemetry after a turn's end
// does not make a session working again, and a watcher's proof of life keeps a quiet session drawn.
import type { EventKind, Signal } from "./event";
import { applyEvent, type LifecycleEvent, newSession } from "./lifecycle";
import { concurrencyTimeline, type TimelineSession } from "./timeline";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const TIMEOUT = 5 * MIN;

const ev = (kind: EventKind, minutesAgo: number, signal: Signal = "status"): LifecycleEvent => ({
  kind,
  time: NOW - minutesAgo * MIN,
  source: "codex",
  cwd: null,
  project: null,
  host: null,
  detail: null,
  waitingReason: null,
  endReason: kind === "end" ? "session_end" : null,
  endDetail: null,
  signal,
});

function session(id: string, events: LifecycleEvent[], aliveAt: number | null = null): TimelineSession {
  const folded = events.reduce(applyEvent, newSession(id, "codex"));
  return {
    id,
    source: "codex",
    status: folded.status,
    endReason: folded.endReason,
    endedAt: folded.endedAt,
    events,
    aliveAt,
  };
}

/** [working, waiting] at each minute from `minutes` ago to now (default 4, 3, 2, 1, 0). */
const draw = (sessions: TimelineSession[], minutes = 4) =>
  concurrencyTimeline(sessions, {
    fromMs: NOW - minutes * MIN,
    toMs: NOW,
    buckets: minutes + 1,
    staleTimeoutMs: TIMEOUT,
  }).points.map((p) => [p.working, p.waiting]);

describe("concurrencyTimeline, by signal and proof of life", () => {
  it("telemetry after the turn's end leaves the session waiting, as its status says", () => {
    const events = [
      ev("prompt", 4),
      ev("turn_end", 3),
      ev("activity", 2.5, "telemetry"),
      ev("activity", 1.5, "telemetry"),
    ];
    const s = session("otel-after-turn", events);
    expect(s.status).toBe("waiting");
    expect(draw([s])).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });

  it("telemetry before the window does not hide the status event before it", () => {
    // The window starts 4 min ago: the turn ended before it, the telemetry record too.
    const s = session("status-then-otel", [ev("prompt", 7), ev("turn_end", 6), ev("activity", 4.5, "telemetry")]);
    expect(draw([s])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });

  it("telemetry counts as activity for the silence rule: a session whose records keep coming is not drawn as timed out", () => {
    const s = session("otel-keeps-alive", [
      ev("prompt", 12),
      ev("activity", 8, "telemetry"),
      ev("activity", 3, "telemetry"),
    ]);
    expect(draw([s])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  it("a session with no status signal at all (OpenTelemetry only) is drawn from its records (rule 6)", () => {
    const s = session("otel-only", [ev("prompt", 4, "telemetry"), ev("activity", 2, "telemetry")]);
    expect(draw([s])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  it("a tool running longer than the timeout, its watcher proving life, is drawn working to now", () => {
    const s = session("long-tool", [ev("prompt", 30), ev("tool", 29)], NOW - 10_000);
    expect(s.status).toBe("active");
    expect(draw([s])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    // Without proof of life the same silence is a death, as the reaper judges it.
    expect(draw([session("no-watcher", [ev("prompt", 30), ev("tool", 29)])])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it("proof of life that stopped longer than a timeout ago ends the drawing at the last proof", () => {
    // Alive (by proof) until 7.5 min ago, then silent past the timeout: drawn until then (at 10, 9 and 8 min ago).
    const s = session("watcher-gone", [ev("prompt", 30), ev("tool", 29)], NOW - 7.5 * MIN);
    expect(draw([s], 10).map(([working]) => working)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
