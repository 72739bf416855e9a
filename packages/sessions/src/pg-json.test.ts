import { pgJson } from "./pg-json";

describe("pgJson", () => {
  it("replaces U+0000 anywhere, keeps a literal backslash-u0000 as it was", () => {
    const value = { a: "x\u0000y", b: ["\u0000"], c: "\\u0000", d: "\\\u0000" };
    expect(JSON.parse(pgJson(value))).toEqual({ a: "x\uFFFDy", b: ["\uFFFD"], c: "\\u0000", d: "\\\uFFFD" });
  });
});
