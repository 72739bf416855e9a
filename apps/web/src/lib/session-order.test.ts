import type { SessionJson } from "@pulse/core";
import { compareByActivity, groupByProject, upsertSession } from "./session-order";

const s = (id: string, lastEventAt: string, project: string | null = "p"): SessionJson =>
  ({ id, project, last_event_at: lastEventAt, status: "active" }) as SessionJson;

describe("session order", () => {
  it("puts the newest activity first, ties by id descending (the API's order)", () => {
    const list = [s("a", "2026-01-01T10:00:00Z"), s("c", "2026-01-01T11:00:00Z"), s("b", "2026-01-01T11:00:00Z")].sort(
      compareByActivity,
    );
    expect(list.map((x) => x.id)).toEqual(["c", "b", "a"]);
  });

  it("moves a changed session to its new place, and drops it when it no longer belongs", () => {
    const list = [s("a", "2026-01-01T12:00:00Z"), s("b", "2026-01-01T11:00:00Z"), s("c", "2026-01-01T10:00:00Z")];
    expect(upsertSession(list, s("c", "2026-01-01T13:00:00Z"), true).map((x) => x.id)).toEqual(["c", "a", "b"]);
    expect(upsertSession(list, s("d", "2026-01-01T10:30:00Z"), true).map((x) => x.id)).toEqual(["a", "b", "d", "c"]);
    expect(upsertSession(list, s("b", "2026-01-01T11:00:00Z"), false).map((x) => x.id)).toEqual(["a", "c"]);
    expect(upsertSession(list, s("z", "2026-01-01T11:00:00Z"), false)).toBe(list);
  });

  it("groups by project in list order: the group with the newest activity first", () => {
    const groups = groupByProject([s("a", "3", "x"), s("b", "2", null), s("c", "1", "x")]);
    expect(groups.map((g) => [g.project, g.sessions.map((x) => x.id)])).toEqual([
      ["x", ["a", "c"]],
      [null, ["b"]],
    ]);
  });
});
