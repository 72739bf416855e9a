import type { SessionJson } from "@pulse/core";
import { filtersToQuery, matchesFilters, NO_FILTERS, parseFilters } from "./filters";

const session = (over: Partial<SessionJson> = {}): SessionJson => ({
  id: "abc-123",
  source: "claude-code",
  project: "acme-api",
  cwd: "/home/dev/acme-api",
  host: "laptop",
  title: "Fix the flaky retry test",
  status: "active",
  waiting_reason: null,
  end_reason: null,
  end_detail: null,
  started_at: "2026-11-21T10:00:00.000Z",
  last_event_at: "2026-11-21T10:05:00.000Z",
  ended_at: null,
  duration_ms: 300_000,
  event_count: 4,
  reopen_count: 0,
  ...over,
});

describe("parseFilters", () => {
  it("reads the URL's query and round-trips through filtersToQuery", () => {
    const filters = parseFilters(new URLSearchParams("status=waiting&project=acme-api&source=codex&q=retry"));
    expect(filters).toEqual({ status: "waiting", project: "acme-api", source: "codex", q: "retry" });
    expect(parseFilters(new URLSearchParams(filtersToQuery(filters)))).toEqual(filters);
  });

  it("falls back to no filter for unknown or malformed values", () => {
    expect(parseFilters({ status: "bogus", project: ["a", "b"], q: "  spaced  " })).toEqual({
      ...NO_FILTERS,
      project: "a",
      q: "spaced",
    });
    expect(parseFilters({ q: "x".repeat(500) }).q).toHaveLength(200);
    for (const inherited of ["hasOwnProperty", "__proto__", "constructor", "toString"])
      expect(parseFilters({ status: inherited }).status).toBe("all");
  });

  it("leaves defaults out of the query so no filter is plain /", () => {
    expect(filtersToQuery(NO_FILTERS)).toBe("");
  });
});

describe("matchesFilters", () => {
  it("matches status groups the way the page names them", () => {
    expect(matchesFilters(session({ status: "waiting" }), { ...NO_FILTERS, status: "open" })).toBe(true);
    expect(matchesFilters(session({ status: "ended" }), { ...NO_FILTERS, status: "open" })).toBe(false);
    expect(matchesFilters(session({ status: "active" }), { ...NO_FILTERS, status: "waiting" })).toBe(false);
  });

  it("matches project and source exactly, like the API", () => {
    expect(matchesFilters(session(), { ...NO_FILTERS, project: "acme" })).toBe(false);
    expect(matchesFilters(session(), { ...NO_FILTERS, project: "acme-api", source: "claude-code" })).toBe(true);
    expect(matchesFilters(session(), { ...NO_FILTERS, source: "codex" })).toBe(false);
  });

  it("matches free text in title, project, folder, host or id, ignoring case", () => {
    for (const q of ["FLAKY", "acme", "/home/dev", "LAPTOP", "abc-1"])
      expect(matchesFilters(session(), { ...NO_FILTERS, q })).toBe(true);
    expect(matchesFilters(session({ title: null }), { ...NO_FILTERS, q: "flaky" })).toBe(false);
  });
});
