import { repairLoneSurrogates } from "./well-formed";

const parse = (text: string) => repairLoneSurrogates(text, JSON.parse(text));

describe("repairLoneSurrogates", () => {
  it("replaces lone surrogates in values and keys with U+FFFD, keeps pairs (escaped or not)", () => {
    const text =
      '{"cut":"tool output \\ud83d","low":"\\ude00!","pair":"\\ud83d\\ude00","raw":"😀","k\\ud83d":[1,"\\udfff"],"nested":{"deep":["\\ud800x"]}}';
    expect(parse(text)).toEqual({
      cut: "tool output \uFFFD",
      low: "\uFFFD!",
      pair: "😀",
      raw: "😀",
      "k\uFFFD": [1, "\uFFFD"],
      nested: { deep: ["\uFFFDx"] },
    });
  });

  it("leaves a body without surrogate escapes untouched (same object), and a __proto__ key a plain key", () => {
    const value = { a: "b" };
    expect(repairLoneSurrogates('{"a":"b"}', value)).toBe(value);
    const repaired = parse('{"__proto__":{"polluted":"\\ud83d"}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(repaired)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(repaired, "__proto__")?.value).toEqual({ polluted: "\uFFFD" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
