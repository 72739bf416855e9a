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
    expect(rows.map((r) => r.type)).toEqual(["event", "turn", "event", "event", "turn-end"]);
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
});
