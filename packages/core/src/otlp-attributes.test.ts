import { attributesOf } from "./otlp";

describe("OTLP attributes", () => {
  it("keeps a key named __proto__ as an attribute, never as the object's prototype", () => {
    const attributes = attributesOf([
      {
        key: "__proto__",
        value: { kvlistValue: { values: [{ key: "session.id", value: { stringValue: "injected" } }] } },
      },
      { key: "constructor", value: { stringValue: "c" } },
      { key: "service.name", value: { stringValue: "claude-code" } },
    ]);
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(attributes["session.id"]).toBeUndefined();
    expect(Object.keys(attributes)).toEqual(["__proto__", "constructor", "service.name"]);
    expect(JSON.parse(JSON.stringify(attributes))).toEqual(
      JSON.parse('{"__proto__":{"session.id":"injected"},"constructor":"c","service.name":"claude-code"}'),
    );
  });

  it("ignores what is not a key/value pair", () => {
    expect(attributesOf([null as never, { key: 5 } as never, { key: "k", value: { intValue: "7" } }])).toEqual({
      k: 7,
    });
    expect(attributesOf(undefined)).toEqual({});
  });
});
