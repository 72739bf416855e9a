/**
 * Hostile values for the fuzzers: text, numbers and JSON that have broken parsers, databases and
 * folds before (NUL, lone UTF-16 surrogates, `__proto__` keys, 1e308, deep nesting, huge strings).
 * JSON is built as a small tree of its own, so a generator can write what JSON.stringify never does:
 * duplicate keys, `__proto__` as a plain key, number tokens such as `1e999` or `-0`, 400-digit
 * integers, raw (unescaped) lone surrogates.
 */
import fc from "fast-check";

/** A JSON token written as it is (numbers JSON.stringify would normalise). */
export class RawToken {
  constructor(readonly text: string) {}
}

/** A JSON object as a list of entries: keys may repeat, `__proto__` is just a key. */
export class JsonObject {
  constructor(readonly entries: [string, JsonTree][]) {}
}

export type JsonTree = null | boolean | string | RawToken | JsonObject | JsonTree[];

export function toJsonText(value: JsonTree): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof RawToken) return value.text;
  if (value instanceof JsonObject)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(",")}}`;
  return `[${value.map(toJsonText).join(",")}]`;
}

/** A parsed JSON value (a fixture) as a tree, to mutate. */
export function fromJson(value: unknown): JsonTree {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return new RawToken(JSON.stringify(value));
  if (Array.isArray(value)) return value.map(fromJson);
  return new JsonObject(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]));
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Strings that are each a known trap. */
export const TRAP_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud83d",
  "\udc00",
  "cut emoji \ud83d",
  "\ud83d\ude00",
  "\uffff",
  "\ufeff",
  "\u202e",
  "\r\n",
  "%00",
  "%ff",
  "%",
  "%zz",
  "%ED%A0%80",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e308",
  "1e999",
  "-1e308",
  "-0",
  "0x10",
  "9".repeat(400),
  "2026-13-45T99:99:99Z",
  "1970-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.001Z",
  "-271821-04-20T00:00:00Z",
  "../../../../etc/passwd",
  "'; DROP TABLE sessions; --",
  "$where",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "\\",
  "\\u0000",
  "a".repeat(300),
  "x".repeat(5000),
  "active,waiting,ended",
  "active,,,",
  "UTC",
  "Europe/Paris",
  "Etc/GMT+14",
  "America/../UTC",
  // Time zones Node's Intl knows and Postgres may not (aliases, case, offsets, ICU's own names).
  "US/Pacific-New",
  "europe/paris",
  "EST",
  "Asia/Kolkata",
  "+05:30",
  "Factory",
  "localtime",
  "posix/Europe/Paris",
  "GMT+0",
];

/** Names every object has: as keys or as values looked up in a table, they find Object's own. */
export const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
  "isPrototypeOf",
];

/** Hostile text: traps, prototype names, arbitrary code points, lone surrogates, long runs. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRAP_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(loneSurrogate, fc.string({ unit: "binary", maxLength: 3 })), { maxLength: 8 })
      .map((parts) => parts.join("")),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "\u0000", "é", "\ud83d", "😀"), fc.integer({ min: 200, max: 20_000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

/** Number tokens as written in JSON: huge, tiny, negative zero, past every time range. */
export const hostileNumberToken: fc.Arbitrary<RawToken> = fc
  .oneof(
    fc.constantFrom(
      "0",
      "-0",
      "1",
      "-1",
      "1e308",
      "-1e308",
      "1e999",
      "-1e999",
      "5e-324",
      "1e-400",
      "9007199254740993",
      "18446744073709551616",
      "8640000000000001",
      "-8640000000000001",
      "8.64e15",
      "0.5",
      "1.5e3",
      "9".repeat(400),
      "-".concat("9".repeat(400)),
      "2147483648",
      "-2147483649",
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.integer().map(String),
    fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }).map(String),
  )
  .map((text) => new RawToken(text));

/** Object keys: traps (prototype names first) and anything else. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "", "\u0000", "\ud83d", "toJSON", "valueOf"),
  },
  { weight: 2, arbitrary: hostileText },
);

/** A deep nest of arrays or objects, `depth` levels, as text (closed or not). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 50, max: 600 }), fc.integer({ min: 600, max: 200_000 })),
    kind: fc.constantFrom("array", "object", "mixed"),
    closed: fc.boolean(),
    inside: fc.constantFrom("", "1", '"x"', "null"),
  })
  .map(({ depth, kind, closed, inside }) => {
    const open = kind === "array" ? "[" : kind === "object" ? '{"a":' : '[{"a":';
    const close = kind === "array" ? "]" : kind === "object" ? "}" : "}]";
    const n = kind === "mixed" ? Math.ceil(depth / 2) : depth;
    return open.repeat(n) + (inside || (kind === "array" ? "" : "null")) + (closed ? close.repeat(n) : "");
  });

/** A hostile JSON value (bounded size; deep nesting comes from deepJsonText, on purpose). */
export const hostileJson: fc.Arbitrary<JsonTree> = fc.letrec<{ value: JsonTree }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileText,
    hostileNumberToken,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.array(fc.tuple(hostileKey, tie("value")), { maxLength: 5 }).map((entries) => new JsonObject(entries)),
  ),
})).value;

/**
 * A valid JSON object made wrong in a few places: fields replaced by hostile values, removed, or
 * joined by hostile keys (`__proto__` included, duplicates of existing keys too). Most of it stays
 * valid, so the request gets past the first checks into the code behind them.
 */
export function mutated(template: unknown): fc.Arbitrary<JsonTree> {
  const tree = fromJson(template);
  if (!(tree instanceof JsonObject)) return fc.constant(tree);
  const keys = tree.entries.map(([k]) => k);
  const edit = fc.oneof(
    fc.record({ op: fc.constant("set" as const), key: fc.constantFrom(...keys), value: hostileJson }),
    fc.record({ op: fc.constant("drop" as const), key: fc.constantFrom(...keys) }),
    fc.record({
      op: fc.constant("add" as const),
      key: fc.oneof(hostileKey, fc.constantFrom(...keys)),
      value: hostileJson,
    }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let entries = tree.entries.slice();
    for (const e of edits) {
      if (e.op === "drop") entries = entries.filter(([k]) => k !== e.key);
      else if (e.op === "set") entries = entries.map(([k, v]) => [k, k === e.key ? e.value : v]);
      else entries.push([e.key, e.value]);
    }
    return new JsonObject(entries);
  });
}

/** Bytes for a body: a UTF-8 text, sometimes with bytes that are no UTF-8 at all spliced in. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc.constantFrom(
  Buffer.from([0xff]),
  Buffer.from([0xc0, 0xae]),
  Buffer.from([0xed, 0xa0, 0xbd]),
  Buffer.from([0xed, 0xb8, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0x00]),
);

export function spliceBytes(text: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  return fc
    .tuple(fc.nat({ max: bytes.length }), invalidUtf8)
    .map(([at, junk]) => Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]));
}

/** A value written into a URL: percent-encoded, half-encoded, or with malformed escapes. */
export const hostileUrlPart: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileText.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"))) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "%00",
      "%ff",
      "%FF%FE",
      "%",
      "%%",
      "%zz",
      "%e0%80%af",
      "%ED%A0%80",
      "%C0%AE%C0%AE",
      "..%2F..%2F",
      "%2e%2e",
      "a%00b",
      "%uD83D",
      "%F0%9F%98",
      "%25",
      "%23",
      "%3F",
      "+",
      "%2B",
      "a+b",
      "%20",
      "%0d%0a",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: "binary-ascii", maxLength: 20 }).map((s) => s.replace(/[\s\x00-\x1f\x7f#?/]/g, "")),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 7_000 }).map((n) => "a".repeat(n)) },
);

/** Numbers as query values: the edges of every range a route checks, and past them. */
export const hostileQueryNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "-1",
    "1",
    "2",
    "0.5",
    "1e308",
    "1e-308",
    "-0",
    "NaN",
    "Infinity",
    "1e3",
    "0x10",
    "  7 ",
    "7abc",
    "",
    "96",
    "95.5",
    "744",
    "744.0001",
    "743.9999999",
    "1000",
    "1001",
    "366",
    "367",
    "500",
    "501",
    "9".repeat(60),
  ),
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -5, max: 2000 }).map(String),
);
