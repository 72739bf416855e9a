import { parseArgs, parseDurationMinutes } from "./args";

const specs = {
  scope: { type: "string", choices: ["user", "project"], description: "" },
  "dry-run": { type: "boolean", description: "" },
  json: { type: "boolean", short: "j", description: "" },
  limit: { type: "string", description: "" },
} as const;

describe("parseArgs", () => {
  it("reads options in both forms, booleans, short flags and positionals", () => {
    expect(parseArgs(["--scope", "user", "--dry-run", "ID", "-j", "--limit=5"], specs)).toEqual({
      options: { scope: "user", "dry-run": true, json: true, limit: "5" },
      positionals: ["ID"],
      rest: null,
    });
  });

  it("keeps everything after -- verbatim", () => {
    expect(parseArgs(["--json", "--", "sh", "-c", "exit 3", "--scope"], specs)).toEqual({
      options: { json: true },
      positionals: [],
      rest: ["sh", "-c", "exit 3", "--scope"],
    });
  });

  it.each([
    [["--nope"], "unknown option --nope"],
    [["-x"], "unknown option -x"],
    [["--scope"], "--scope needs a value"],
    [["--scope", "--json"], "--scope needs a value"],
    [["--scope", "global"], '--scope must be one of user, project (got "global")'],
    [["--dry-run=yes"], "--dry-run takes no value"],
  ])("%j → %s", (argv, message) => {
    expect(() => parseArgs(argv, specs)).toThrow(message);
  });
});

describe("parseDurationMinutes", () => {
  it.each([
    ["1h", 60],
    ["30m", 30],
    ["90s", 1.5],
    ["2d", 2880],
    ["1h30m", 90],
    ["1w", 10080],
    ["45min", 45],
  ])("%s = %d minutes", (text, minutes) => {
    expect(parseDurationMinutes(text, "--older-than")).toBe(minutes);
  });

  it.each(["60", "1x", "h", "", "1h junk", "0m"])("refuses %j", (text) => {
    expect(() => parseDurationMinutes(text, "--older-than")).toThrow(/^--older-than must be/);
  });
});
