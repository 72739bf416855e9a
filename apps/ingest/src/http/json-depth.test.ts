import { nestsDeeperThan } from "./json-depth";

const nest = (levels: number, open = "[", close = "]") => open.repeat(levels) + "1" + close.repeat(levels);

describe("nestsDeeperThan", () => {
  it("counts arrays and objects, up to the limit and past it", () => {
    expect(nestsDeeperThan(nest(100), 100)).toBe(false);
    expect(nestsDeeperThan(nest(101), 100)).toBe(true);
    expect(nestsDeeperThan('{"a":'.repeat(60) + "1" + "}".repeat(60), 50)).toBe(true);
    expect(nestsDeeperThan(`[${nest(3)},${nest(3)},${nest(3)}]`, 4)).toBe(false);
    expect(nestsDeeperThan(nest(1_000_000), 100)).toBe(true);
  });

  it("ignores brackets inside strings, escaped quotes and backslashes included", () => {
    const inString = JSON.stringify({ text: "[".repeat(5000), quoted: 'a "[[[[" b', slash: "\\", mix: '\\"[[[' });
    expect(nestsDeeperThan(inString, 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ a: "\\\\", b: [[["x"]]] }), 3)).toBe(true);
  });
});
