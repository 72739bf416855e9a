import { intervalFrom, DEFAULT_INTERVAL_MS } from "./proof-of-life";
import { parseWatchArgs } from "./watch-args";

describe("parseWatchArgs", () => {
  it("reads an agent's pid, or a shared server's, with the session's cwd and transcript", () => {
    expect(
      parseWatchArgs([
        "--session",
        "s1",
        "--agent",
        "claude-code",
        "--pid",
        "42",
        "--name",
        "claude",
        "--start",
        "99",
        "--transcript",
        "/t.jsonl",
        "--cwd",
        "/w",
      ]),
    ).toEqual({
      sessionId: "s1",
      source: "claude-code",
      agent: { pid: 42, name: "claude", startTime: "99" },
      server: null,
      cwd: "/w",
      transcriptPath: "/t.jsonl",
    });
    expect(
      parseWatchArgs(["--session", "s2", "--agent", "codex", "--server", "31017", "--server-start", "7"]),
    ).toMatchObject({ agent: null, server: { pid: 31017, startTime: "7" }, cwd: null, transcriptPath: null });
  });

  it("refuses what cannot be watched: no session, no pid, pid 1 or garbage", () => {
    for (const argv of [
      [],
      ["--session", "s"],
      ["--pid", "42"],
      ["--session", "s", "--pid", "1"],
      ["--session", "s", "--pid", "x"],
      ["--session", "s", "--server", "-3"],
      ["--session"],
    ]) {
      expect(parseWatchArgs(argv)).toBeNull();
    }
  });
});

describe("intervalFrom (the liveness answer's interval_ms)", () => {
  it("takes the server's interval within 1 s … 10 min", () => {
    expect(intervalFrom('{"accepted":1,"interval_ms":60000}')).toBe(60_000);
    expect(intervalFrom('{"interval_ms":5}')).toBe(1_000);
    expect(intervalFrom('{"interval_ms":1e12}')).toBe(600_000);
  });

  it("keeps the default for an answer without one", () => {
    for (const body of ["", "not json", "null", "[]", '{"interval_ms":"60000"}', '{"interval_ms":null}'])
      expect(intervalFrom(body)).toBe(DEFAULT_INTERVAL_MS);
  });
});
