import type { SessionEventJson } from "@pulse/core";
import { timelineRows } from "./timeline-rows";

const ev = (id: string, kind: string, second: number, detail: string | null = null): SessionEventJson => ({
  id,
  kind,
  name: null,
  time: new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString(),
  tool: null,
  detail,
});
const open = { status: "active" as const, end_reason: null, ended_at: null };

describe("timelineRows", () => {
  it("orders events oldest first with gaps, and marks turns", () => {
    const rows = timelineRows(open, [ev("3", "turn_end", 20), ev("1", "start", 0), ev("2", "prompt", 4, "do it")]);
    expect(rows.map((r) => r.type)).toEqual(["event", "turn", "event", "event", "turn-end", "wait"]);
    const gaps = rows.filter((r) => r.type === "event").map((r) => (r.type === "event" ? r.gapMs : null));
    expect(gaps).toEqual([null, 4000, 16000]);
  });

  it("marks an end and the reopening that follows it", () => {
    const rows = timelineRows(open, [ev("1", "start", 0), ev("2", "end", 5, "exit"), ev("3", "tool", 9)]);
    expect(rows.map((r) => r.type)).toEqual(["event", "event", "end", "reopen", "event"]);
  });

  it("adds the end Pulse inferred (timed out, closed), which is no event", () => {
    const ended = { status: "ended" as const, end_reason: "stale", ended_at: "2026-01-01T10:00:05.000Z" };
    const rows = timelineRows(ended, [ev("1", "start", 0), ev("2", "tool", 5)]);
    const last = rows[rows.length - 1];
    expect(last.type === "end" && last.label).toMatch(/timed out/);
    // An explicit end event already says how it ended.
    expect(
      timelineRows({ ...ended, end_reason: "closed" }, [ev("1", "end", 0)]).filter((r) => r.type === "end"),
    ).toHaveLength(1);
  });

  const waits = (rows: ReturnType<typeof timelineRows>) =>
    rows.flatMap((r) => (r.type === "wait" ? [{ since: r.since.slice(17, 19), ms: r.ms, onUser: r.onUser }] : []));

  it("shows each wait under the event that began it, with its length up to the event that set the session going", () => {
    const rows = timelineRows(open, [
      ev("1", "prompt", 0),
      ev("2", "attention", 3, "Bash: npm test"),
      ev("3", "tool", 10),
      ev("4", "turn_end", 12),
      ev("5", "prompt", 42),
    ]);
    expect(rows.map((r) => r.type)).toEqual([
      "turn",
      "event",
      "event",
      "wait",
      "event",
      "event",
      "turn-end",
      "wait",
      "turn",
      "event",
    ]);
    expect(waits(rows)).toEqual([
      { since: "03", ms: 7000, onUser: true },
      { since: "12", ms: 30000, onUser: false },
    ]);
  });

  it("keeps one wait across a repeated attention event; another kind of wait starts a new one", () => {
    const rows = timelineRows(open, [
      ev("1", "attention", 0),
      ev("2", "attention", 4),
      ev("3", "turn_end", 6),
      ev("4", "tool", 9),
    ]);
    expect(waits(rows)).toEqual([
      { since: "00", ms: 6000, onUser: true },
      { since: "06", ms: 3000, onUser: false },
    ]);
  });

  it("leaves the current wait open while the session waits, and ends it with a session Pulse ended", () => {
    const waiting = { status: "waiting" as const, end_reason: null, ended_at: null };
    expect(waits(timelineRows(waiting, [ev("1", "tool", 0), ev("2", "attention", 2)]))).toEqual([
      { since: "02", ms: null, onUser: true },
    ]);
    const closed = { status: "ended" as const, end_reason: "closed", ended_at: "2026-01-01T10:00:20.000Z" };
    expect(waits(timelineRows(closed, [ev("1", "attention", 5)]))).toEqual([{ since: "05", ms: 15000, onUser: true }]);
  });
});
