/**
 * Requests for the fuzzers: a route's pattern made into hostile paths, query strings and headers,
 * plus raw HTTP that no client library would send.
 */
import fc from "fast-check";
import type { FuzzBody } from "./bodies";
import type { FuzzRequest } from "./send";
import { hostileQueryNumber, hostileText, hostileUrlPart } from "./values";

/** Query keys routes read, and some they do not. */
const QUERY_KEYS = [
  ...["status", "project", "source", "q", "limit", "cursor", "hours", "buckets", "days", "tz", "since", "id", "next"],
  // The queue board's (Bull Board's API).
  ...[
    "activeQueue",
    "page",
    "jobsPerPage",
    "from",
    "to",
    "granularity",
    "queue",
    "metric",
    "percentiles",
    "depth",
    "maxChildren",
    "root",
    "queueName",
  ],
  ...["__proto__", "constructor", "a[b]", "limit[]", "x", ""],
];
const NUMERIC_KEYS = new Set([
  "limit",
  "hours",
  "buckets",
  "days",
  "page",
  "jobsPerPage",
  "from",
  "to",
  "depth",
  "maxChildren",
]);
/** Keys whose value names a queue: read-only lookups may name the real ones. */
const QUEUE_KEYS = new Set(["activeQueue", "queue", "queueName"]);

/** A cursor as the API encodes it (base64url of `[lastEventAt, id]`), with hostile contents. */
export const hostileCursor: fc.Arbitrary<string> = fc
  .oneof(
    fc
      .tuple(
        fc.constantFrom(
          "1e308",
          "-1e308",
          "8640000000000001",
          "-8640000000000001",
          "0",
          "1.5",
          "1e999",
          "null",
          '"x"',
          "9".repeat(30),
        ),
        fc.oneof(hostileText, fc.constant("x")),
      )
      .map(([t, id]) => `[${t},${JSON.stringify(id)}]`),
    fc.constantFrom("[]", "{}", "null", "[1]", '[1,"x",3]', '{"__proto__":1}', "[[[[[[[[[[1]]]]]]]]]]", "\u0000"),
  )
  .map((json) => Buffer.from(json).toString("base64url"));

function queryValue(key: string): fc.Arbitrary<string> {
  if (QUEUE_KEYS.has(key))
    return fc.oneof(fc.constantFrom("events", "reaper", "maintenance", "%25ff", "%25", "%2525"), hostileUrlPart);
  if (key === "status")
    return fc.oneof(
      fc.constantFrom(
        "latest",
        "active",
        "waiting",
        "completed",
        "failed",
        "delayed",
        "paused",
        "prioritized",
        "waiting-children",
        "active,waiting",
      ),
      hostileUrlPart,
    );
  if (key === "cursor") return fc.oneof(hostileCursor, hostileUrlPart);
  if (NUMERIC_KEYS.has(key))
    return fc.oneof(
      { weight: 3, arbitrary: hostileQueryNumber.map(encodeURIComponent) },
      { weight: 1, arbitrary: hostileUrlPart },
    );
  if (key === "since")
    return fc.oneof(
      fc
        .constantFrom(
          "2026-11-21T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "0",
          "1e308",
          "-8640000000000000",
          "+275760-09-13T00:00:00.000Z",
          "2026-02-30T00:00:00+14:00",
        )
        .map(encodeURIComponent),
      hostileUrlPart,
    );
  return hostileUrlPart;
}

/** `?a=b&…`: known keys with hostile values, repeated keys, malformed escapes; sometimes none. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant("") },
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc
          .constantFrom(...QUERY_KEYS)
          .chain((key) => fc.tuple(fc.constant(key), queryValue(key), fc.constantFrom("=", "=", "=", "", "=="))),
        { minLength: 1, maxLength: 5 },
      )
      .map((pairs) => `?${pairs.map(([k, v, eq]) => `${encodeURIComponent(k)}${eq}${eq ? v : ""}`).join("&")}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "?",
      "?&&&",
      "?=",
      "?%",
      "?a=%",
      "?q=%00",
      "?q=%ff",
      "?status=%00",
      "?hours=1e308",
      "?buckets=1e308",
      "?days=1e308",
      "?limit=1e308",
      "?cursor=%00",
      "?tz=%00",
      "?tz=" + "A".repeat(64),
      "?since=%00",
    ),
  },
);

/** Fills `:param` and `*` of a route pattern; `param` picks the value for each named parameter. */
export function fillPattern(pattern: string, param: (name: string) => fc.Arbitrary<string>): fc.Arbitrary<string> {
  const parts = pattern.split(/(:[A-Za-z0-9_]+|\*)/);
  return fc
    .tuple(
      ...parts.map((part) =>
        part === "*"
          ? fc.array(hostileUrlPart, { maxLength: 3 }).map((segments) => segments.join("/"))
          : part.startsWith(":")
            ? param(part.slice(1))
            : fc.constant(part),
      ),
    )
    .map((filled) => filled.join(""));
}

/** Headers every route may meet: lying sizes aside (raw requests do those), anything a client could send. */
export const hostileHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constantFrom("x-pulse-event-time"),
      fc.oneof(
        hostileText,
        fc.constantFrom(
          "1e308",
          "-1e308",
          "9".repeat(30),
          "2026-11-21T10:00:00Z",
          "+275760-09-13T00:00:00.001Z",
          String(Date.now()),
          "0",
          "-0",
          "1.5",
        ),
      ),
    ),
    fc.tuple(
      fc.constantFrom("idempotency-key"),
      fc.oneof(
        hostileText,
        fc.integer({ min: 190, max: 400 }).map((n) => "k".repeat(n)),
      ),
    ),
    fc.tuple(fc.constantFrom("x-pulse-host"), hostileText),
    fc.tuple(
      fc.constantFrom("accept"),
      fc.constantFrom("*/*", "text/html", "application/json", "application/x-protobuf", "", "text/event-stream"),
    ),
    fc.tuple(fc.constantFrom("accept-encoding"), fc.constantFrom("gzip", "br", "*", "identity;q=0", "gzip;q=1e308")),
    fc.tuple(
      fc.constantFrom("sec-fetch-site"),
      fc.constantFrom("same-origin", "none", "cross-site", "same-site", "", "\u00ff"),
    ),
    fc.tuple(
      fc.constantFrom("origin"),
      fc.constantFrom("null", "http://127.0.0.1", "http://evil.example", "%", "", "http://[::1]:1"),
    ),
    fc.tuple(
      fc.constantFrom("cookie"),
      fc.constantFrom("pulse_login=x", "a=%ff", "=", ";;;;", "pulse_login=" + "a".repeat(4000)),
    ),
    fc.tuple(
      fc.constantFrom(
        "range",
        "if-none-match",
        "if-modified-since",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "forwarded",
        "expect",
        "te",
        "upgrade",
      ),
      fc.constantFrom(
        "bytes=0-1",
        "*",
        'W/"x"',
        "not a date",
        "127.0.0.1",
        "localhost",
        "https",
        "for=1",
        "100-continue",
        "trailers",
        "websocket",
        "h2c",
      ),
    ),
    // Any name and value HTTP allows (control characters are for the raw requests below: a server
    // refuses them before reading the body, and a client still sending one sees only the reset).
    fc.tuple(
      fc
        .string({ unit: "binary-ascii", minLength: 1, maxLength: 12 })
        .map((s) => s.replace(/[^A-Za-z0-9-]/g, "") || "x"),
      fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => s.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "")),
    ),
  ),
  { maxLength: 4 },
);

/** Header values go out as latin1 bytes: code points past it are written as their UTF-8 bytes. */
export const asHeaderValue = (value: string) => Buffer.from(value.replace(/[\r\n]/g, " "), "utf8").toString("latin1");

export interface RouteRequest {
  method: string;
  target: string;
  headers: [string, string][];
  body?: FuzzBody;
}

export function toFuzzRequest(r: RouteRequest, extraHeaders: [string, string][] = []): FuzzRequest {
  return {
    method: r.method,
    target: r.target,
    headers: [
      ...extraHeaders,
      ...(r.body?.headers ?? []),
      ...r.headers.map(([k, v]) => [k, asHeaderValue(v)] as [string, string]),
    ],
    body: r.body?.body,
  };
}

/**
 * HTTP that is not HTTP, or lies about itself: broken request lines, bare LFs, conflicting lengths,
 * chunked bodies that never end, headers past the size limit, a body cut short and left hanging.
 * `slow` ones can only end by the server's timeout (the client never finishes sending).
 */
export function malformedHttp(host: string, paths: string[]): { label: string; request: FuzzRequest; slow: boolean }[] {
  const raw = (label: string, text: string, slow = false) => ({
    label,
    request: { method: "", target: "", headers: [], raw: Buffer.from(text, "latin1") },
    slow,
  });
  const post = paths.find((p) => p.includes("events")) ?? "/v1/events";
  const get = paths.find((p) => p.includes("sessions")) ?? "/v1/sessions";
  const h = `Host: ${host}\r\n`;
  const event = '{"session_id":"raw","source":"x","kind":"tool"}';
  return [
    raw("garbage line", "GARBAGE\r\n\r\n"),
    raw("binary line", "\u0000\u00ff\u0001\r\n\r\n"),
    raw("no version", `GET ${get}\r\n${h}\r\n`),
    raw("HTTP/9.9", `GET ${get} HTTP/9.9\r\n${h}\r\n`),
    raw("lowercase method", `get ${get} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("unknown method", `BREW ${get} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("long method", `${"G".repeat(5000)} ${get} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("space in target", `GET /v1/ses sions HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("bare LF", `GET ${get} HTTP/1.1\n${h.replace("\r\n", "\n")}Connection: close\n\n`),
    raw("CR only", `GET ${get} HTTP/1.1\r${h.replace("\r\n", "\r")}\r\r`),
    raw("header no colon", `GET ${get} HTTP/1.1\r\n${h}NoColonHere\r\nConnection: close\r\n\r\n`),
    raw("obs-fold", `GET ${get} HTTP/1.1\r\n${h}X-A: a\r\n  folded\r\nConnection: close\r\n\r\n`),
    raw("NUL in header", `GET ${get} HTTP/1.1\r\n${h}X-A: a\u0000b\r\nConnection: close\r\n\r\n`),
    raw("space before colon", `GET ${get} HTTP/1.1\r\n${h}X-A : b\r\nConnection: close\r\n\r\n`),
    raw("no Host", `GET ${get} HTTP/1.1\r\nConnection: close\r\n\r\n`),
    raw("two Hosts", `GET ${get} HTTP/1.1\r\n${h}${h}Connection: close\r\n\r\n`),
    raw("huge header", `GET ${get} HTTP/1.1\r\n${h}X-Big: ${"a".repeat(70_000)}\r\nConnection: close\r\n\r\n`),
    raw(
      "many headers",
      `GET ${get} HTTP/1.1\r\n${h}${Array.from({ length: 3000 }, (_, i) => `X-${i}: ${i}\r\n`).join("")}Connection: close\r\n\r\n`,
    ),
    raw("huge target", `GET ${get}?q=${"a".repeat(70_000)} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw(
      "two lengths",
      `POST ${post} HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: ${event.length}\r\nContent-Length: 3\r\nConnection: close\r\n\r\n${event}`,
    ),
    raw(
      "length and chunked",
      `POST ${post} HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${event.length.toString(16)}\r\n${event}\r\n0\r\n\r\n`,
    ),
    raw("negative length", `POST ${post} HTTP/1.1\r\n${h}Content-Length: -1\r\nConnection: close\r\n\r\n`),
    raw("hex length", `POST ${post} HTTP/1.1\r\n${h}Content-Length: 0x10\r\nConnection: close\r\n\r\n`),
    raw(
      "huge length",
      `POST ${post} HTTP/1.1\r\n${h}Content-Length: 99999999999999999999\r\nConnection: close\r\n\r\n`,
    ),
    raw(
      "bad chunk size",
      `POST ${post} HTTP/1.1\r\n${h}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n${event}\r\n0\r\n\r\n`,
    ),
    raw(
      "huge chunk size",
      `POST ${post} HTTP/1.1\r\n${h}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffffffffffff\r\nabc\r\n0\r\n\r\n`,
    ),
    raw(
      "unknown transfer-encoding",
      `POST ${post} HTTP/1.1\r\n${h}Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n${event}`,
    ),
    raw(
      "chunked ok",
      `POST ${post} HTTP/1.1\r\n${h}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${event.length.toString(16)}\r\n${event}\r\n0\r\n\r\n`,
    ),
    raw("pipelined", `GET ${get} HTTP/1.1\r\n${h}\r\nGET ${get} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("absolute-form", `GET http://${host}${get} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("asterisk-form", `OPTIONS * HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw("CONNECT", `CONNECT ${host} HTTP/1.1\r\n${h}Connection: close\r\n\r\n`),
    raw(
      "expect 100",
      `POST ${post} HTTP/1.1\r\n${h}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${event.length}\r\nConnection: close\r\n\r\n${event}`,
    ),
    raw(
      "upgrade h2c",
      `GET ${get} HTTP/1.1\r\n${h}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`,
    ),
    raw("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    raw("tls hello", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003"),
    // Can only end by the server giving up on them.
    raw(
      "body cut short",
      `POST ${post} HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n${event}`,
      true,
    ),
    raw(
      "chunked never ends",
      `POST ${post} HTTP/1.1\r\n${h}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${event.length.toString(16)}\r\n${event}\r\n`,
      true,
    ),
    raw("headers never end", `GET ${get} HTTP/1.1\r\n${h}X-A: b\r\n`, true),
    raw("request line only", `GET ${get} HTTP/1.1\r\n`, true),
    // HTTP/0.9 has no headers: a server that only speaks 1.x waits for them.
    raw("HTTP/0.9", `GET ${get}\r\n`, true),
    raw("nothing sent", "", true),
  ];
}
