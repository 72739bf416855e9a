import { pgJson } from "./pg-json";

describe("pgJson", () => {
  it("replaces U+0000 anywhere, keeps a literal backslash-u0000 as it was", () => {
    const value = { a: "x\u0000y", b: ["\u0000"], c: "\\u0000", d: "\\\u0000" };
    expect(JSON.parse(pgJson(value))).toEqual({ a: "x\uFFFDy", b: ["\uFFFD"], c: "\\u0000", d: "\\\uFFFD" });
  });

  it("replaces lone surrogates (a string cut inside an emoji), keeps pairs and literal backslash-ud83d text", () => {
    const cut = "tool output 😀".slice(0, -1); // ends with the high half
    const value = {
      cut,
      low: "\uDE00 after",
      pair: "ok 😀",
      literal: "\\ud83d",
      escapedThenLone: "\\\uD83D",
      key: { ["k\uD83D"]: 1 },
    };
    const json = pgJson(value);
    expect(json).not.toMatch(/(?<!\\)(?:\\\\)*\\ud[89a-f]/);
    expect(JSON.parse(json)).toEqual({
      cut: "tool output \uFFFD",
      low: "\uFFFD after",
      pair: "ok 😀",
      literal: "\\ud83d",
      escapedThenLone: "\\\uFFFD",
      key: { "k\uFFFD": 1 },
    });
  });
});
