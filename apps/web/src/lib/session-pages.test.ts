import type { SessionJson, SessionPageJson } from "@pulse/core";
import { hasMorePages, placeInPages, type SessionPages, sessionsOfPages } from "./session-pages";

const s = (id: string, minute: number, status: SessionJson["status"] = "active"): SessionJson =>
  ({
    id,
    project: "p",
    source: "claude-code",
    status,
    last_event_at: `2026-01-01T10:${String(minute).padStart(2, "0")}:00Z`,
  }) as SessionJson;
const page = (items: SessionJson[], next: string | null = null): SessionPageJson => ({ items, next_cursor: next });
const data = (...pages: SessionPageJson[]): SessionPages => ({
  pages,
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
});
const ids = (d: SessionPages) => d.pages.map((p) => p.items.map((x) => x.id));

describe("sessions pages", () => {
  it("lists every loaded session once, in order, and tells whether more pages exist", () => {
    const d = data(page([s("c", 30), s("b", 20)], "cur"), page([s("b", 20), s("a", 10)]));
    expect(sessionsOfPages(d).map((x) => x.id)).toEqual(["c", "b", "a"]);
    expect(sessionsOfPages(undefined)).toEqual([]);
    expect(hasMorePages(d)).toBe(false);
    expect(hasMorePages(data(page([s("a", 10)], "cur")))).toBe(true);
    expect(hasMorePages(undefined)).toBe(false);
  });

  it("moves a changed session to its place across pages, leaving untouched pages as they were", () => {
    const d = data(page([s("d", 40), s("c", 30)], "c1"), page([s("b", 20), s("a", 10)]));
    const moved = placeInPages(d, s("a", 50), true);
    expect(ids(moved)).toEqual([["a", "d", "c"], ["b"]]);
    const inPlace = placeInPages(d, s("b", 21), true);
    expect(ids(inPlace)).toEqual([
      ["d", "c"],
      ["b", "a"],
    ]);
    expect(inPlace.pages[0]).toBe(d.pages[0]);
  });

  it("drops a session that stops matching, and ignores one that neither was nor belongs in the list", () => {
    const d = data(page([s("b", 20), s("a", 10)]));
    expect(ids(placeInPages(d, s("b", 25, "waiting"), false))).toEqual([["a"]]);
    expect(placeInPages(d, s("z", 30), false)).toBe(d);
  });

  it("leaves a new session that sorts beyond the loaded rows to the next page, unless the list is complete", () => {
    const partial = data(page([s("b", 20), s("a", 10)], "cur"));
    expect(placeInPages(partial, s("old", 5), true)).toBe(partial);
    expect(ids(placeInPages(partial, s("new", 15), true))).toEqual([["b", "new", "a"]]);
    const complete = data(page([s("b", 20), s("a", 10)]));
    expect(ids(placeInPages(complete, s("old", 5), true))).toEqual([["b", "a", "old"]]);
    const empty = data(page([]));
    expect(ids(placeInPages(empty, s("first", 1), true))).toEqual([["first"]]);
  });
});
