/**
 * Request bodies for the fuzzers, with the headers that describe them: JSON made wrong, protobuf
 * and gzip garbage, deep nesting, zip bombs, content types and encodings that lie.
 */
import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import {
  deepJsonText,
  fromJson,
  hostileJson,
  hostileText,
  JsonObject,
  type JsonTree,
  mutated,
  spliceBytes,
  toJsonText,
} from "./values";

export interface FuzzBody {
  headers: [string, string][];
  body: Buffer;
  /** What kind of body it is, for the figures and a failure's message. */
  label: string;
}

/** Zip bombs: a few KB that inflate to many MB of zeros (built once, on first use). */
const bombs = new Map<number, Buffer>();
export function gzipBomb(inflatedBytes: number): Buffer {
  let bomb = bombs.get(inflatedBytes);
  if (!bomb) bombs.set(inflatedBytes, (bomb = gzipSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 })));
  return bomb;
}

/** A JSON bomb: a valid JSON body (spaces around one value) that inflates past the limits. */
function jsonBomb(inflatedBytes: number): Buffer {
  let bomb = bombs.get(-inflatedBytes);
  if (!bomb) {
    const padding = Buffer.alloc(inflatedBytes, 0x20);
    bombs.set(
      -inflatedBytes,
      (bomb = gzipSync(
        Buffer.concat([
          Buffer.from('{"session_id":"bomb","source":"x","kind":"tool","detail":"'),
          padding,
          Buffer.from('"}'),
        ]),
        { level: 9 },
      )),
    );
  }
  return bomb;
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/x-protobuf",
  "application/protobuf",
  "application/x-ndjson",
  "",
  "*/*",
  "application/json\u00ff",
  'text/html; charset=""',
];

/** The bytes of a body, then how it is encoded and labelled. */
function encoded(
  bytes: fc.Arbitrary<Buffer>,
  label: string,
  contentType: fc.Arbitrary<string | null>,
): fc.Arbitrary<FuzzBody> {
  const encoding = fc.oneof(
    { weight: 14, arbitrary: fc.constant("identity") },
    { weight: 3, arbitrary: fc.constant("gzip") },
    { weight: 1, arbitrary: fc.constant("deflate") },
    { weight: 1, arbitrary: fc.constant("gzip-truncated") },
    { weight: 1, arbitrary: fc.constant("gzip-lie") },
    {
      weight: 1,
      arbitrary: fc.constantFrom("br", "gzip, gzip", "x-unknown", "GZIP", " deflate ", "identity, gzip", "compress"),
    },
  );
  return fc.tuple(bytes, encoding, contentType).map(([body, enc, type]) => {
    const headers: [string, string][] = type === null ? [] : [["content-type", type]];
    let out = body;
    if (enc === "gzip") out = gzipSync(body);
    else if (enc === "deflate") out = deflateSync(body);
    else if (enc === "gzip-truncated")
      out = gzipSync(body).subarray(0, Math.max(1, Math.floor(gzipSync(body).length / 2)));
    if (enc !== "identity")
      headers.push(["content-encoding", enc === "gzip-truncated" || enc === "gzip-lie" ? "gzip" : enc]);
    return { headers, body: out, label: enc === "identity" ? label : `${label}+${enc}` };
  });
}

const anyContentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | null>("application/json") },
  { weight: 2, arbitrary: fc.constantFrom<string | null>(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.constant<string | null>(null) },
);

/** Text of a JSON tree, sometimes with bytes spliced in that are not UTF-8. */
function jsonBytes(tree: fc.Arbitrary<JsonTree>): fc.Arbitrary<Buffer> {
  return tree.chain((t) => {
    const text = toJsonText(t);
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant(Buffer.from(text, "utf8")) },
      { weight: 1, arbitrary: spliceBytes(text) },
      { weight: 1, arbitrary: fc.nat({ max: text.length }).map((n) => Buffer.from(text.slice(0, n), "utf8")) },
    );
  });
}

/** Bodies that fit no route: deep nesting, zip bombs, random JSON and bytes, nothing at all. */
export const genericBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  { weight: 3, arbitrary: encoded(jsonBytes(hostileJson), "json", anyContentType) },
  {
    weight: 2,
    arbitrary: encoded(
      deepJsonText.map((text) => Buffer.from(text)),
      "deep",
      anyContentType,
    ),
  },
  {
    weight: 1,
    arbitrary: encoded(
      fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
      "bytes",
      fc.constantFrom<string | null>(...CONTENT_TYPES, null),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, 1, 3).map((n) => ({
      headers: [["content-type", "application/json"]] as [string, string][],
      body: Buffer.from(" ".repeat(n)),
      label: "empty",
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(1_100_000, 15_000_000, 40_000_000).chain((size) =>
      fc.constantFrom<FuzzBody>(
        {
          headers: [
            ["content-type", "application/json"],
            ["content-encoding", "gzip"],
          ],
          body: jsonBomb(size),
          label: `gzip-bomb-${size}`,
        },
        {
          headers: [
            ["content-type", "application/x-protobuf"],
            ["content-encoding", "gzip"],
          ],
          body: gzipBomb(size),
          label: `gzip-bomb-pb-${size}`,
        },
      ),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(1_048_577, 2_000_000).map((n) => ({
      headers: [["content-type", "application/json"]] as [string, string][],
      body: Buffer.alloc(n, 0x20),
      label: "oversized",
    })),
  },
);

/**
 * A valid body whose free text (the fields named, where the template has them) is hostile: NUL,
 * lone surrogates, huge runs. Such bodies are accepted, so they reach the queue, the worker and
 * Postgres: where a string that cannot be stored (a lone surrogate in jsonb) once poisoned a batch.
 */
function withHostileText(template: unknown, fields: readonly string[]): fc.Arbitrary<JsonTree> {
  const tree = fromJson(template);
  if (!(tree instanceof JsonObject)) return fc.constant(tree);
  const present = tree.entries.map(([k]) => k).filter((k) => fields.includes(k));
  if (present.length === 0) return fc.constant(tree);
  return fc
    .array(fc.tuple(fc.constantFrom(...present), hostileText), { minLength: 1, maxLength: 3 })
    .map((edits) => new JsonObject(tree.entries.map(([k, v]) => [k, edits.find(([f]) => f === k)?.[1] ?? v])));
}

/** Fields agents fill with text of their own (prompts, commands, tool output, paths). */
export const FREE_TEXT_FIELDS = [
  "detail",
  "title",
  "name",
  "tool",
  "cwd",
  "project",
  "host",
  "end_detail",
  "prompt",
  "message",
  "transcript_path",
  "last_assistant_message",
  "last-assistant-message",
  "tool_name",
  "reason",
  "source",
  "model",
  "permission_mode",
  "notification_type",
  "stop_hook_active",
];

/** Bodies shaped like what a route takes (templates made wrong), and now and then anything at all. */
export function bodyFrom(templates: unknown[], options: { arrays?: boolean } = {}): fc.Arbitrary<FuzzBody> {
  const one = fc
    .constantFrom(...templates)
    .chain((t) =>
      fc.oneof(
        { weight: 4, arbitrary: mutated(t) },
        { weight: 3, arbitrary: withHostileText(t, FREE_TEXT_FIELDS) },
        { weight: 1, arbitrary: fc.constant(fromTemplate(t)) },
      ),
    );
  const shaped: fc.Arbitrary<JsonTree> = options.arrays
    ? fc.oneof(
        { weight: 4, arbitrary: one },
        { weight: 1, arbitrary: fc.array(one, { maxLength: 6 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(0, 1001).chain((n) => one.map((e) => Array.from({ length: n }, () => e))),
        },
      )
    : one;
  return fc.oneof(
    { weight: 4, arbitrary: encoded(jsonBytes(shaped), "shaped", anyContentType) },
    { weight: 1, arbitrary: genericBody },
  );
}

/** The template as it is: valid bodies among the garbage, to check they still get through. */
const fromTemplate = (t: unknown): JsonTree => fromJson(t);

/** Protobuf made wrong: a real export with flipped, cut or repeated bytes, or bytes from nowhere. */
export function protobufBody(fixtures: Buffer[]): fc.Arbitrary<FuzzBody> {
  const flipped = fc
    .tuple(
      fc.constantFrom(...fixtures),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    )
    .map(([pb, flips]) => {
      const copy = Buffer.from(pb);
      for (const [at, byte] of flips) copy[at % copy.length] = byte;
      return copy;
    });
  const cut = fc.tuple(fc.constantFrom(...fixtures), fc.nat()).map(([pb, n]) => pb.subarray(0, n % pb.length));
  // A field whose declared length is enormous, nested messages declaring more than they hold.
  const lying = fc.constantFrom(
    Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
    Buffer.from([0x0a, 0x05, 0x0a, 0x7f, 0x01]),
    Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
    Buffer.alloc(64, 0xff),
  );
  const nested = fc.integer({ min: 10, max: 5000 }).map((depth) => {
    let message = Buffer.alloc(0);
    for (let i = 0; i < depth; i++) message = Buffer.concat([Buffer.from([0x0a]), varint(message.length), message]);
    return message;
  });
  const bytes = fc.oneof(
    flipped,
    cut,
    lying,
    nested,
    fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
    fc.constantFrom(...fixtures),
    fc.constantFrom(...fixtures).map((pb) => Buffer.concat([pb, pb, pb])),
  );
  return encoded(
    bytes,
    "protobuf",
    fc.constantFrom<string | null>(
      "application/x-protobuf",
      "application/protobuf",
      "application/x-protobuf; charset=binary",
    ),
  );
}

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}
