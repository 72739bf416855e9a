/**
 * Pulse issue 10, item 4 on the dashboard: a fuzzer over every route the build has (pages and route
 * handlers, from Next's own manifest) on the real stack, logged in and not. fast-check generates
 * hostile paths (malformed percent-encoding such as `/sessions/%ff` and `/api/sessions/%/close`, NUL,
 * lone surrogates), query strings, headers (Next's own: `rsc`, `next-router-state-tree`,
 * `next-action`, …) and bodies (forms, multipart, JSON, gzip garbage). Promises: never a 5xx, never
 * a hang, every answer within ANSWER_BOUND_MS; afterwards the dashboard still shows a new session.
 * PULSE_FUZZ_RUNS scales the runs; the figures are printed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { sendEvents, unique, waitForSession } from "./agent";
import { STORAGE_STATE, WEB_DIR } from "./paths";
import { webUrl } from "./ui";

// The repository's fuzz helpers are CommonJS TypeScript (see repo-test-helpers.ts), and fast-check
// must be the instance they use.
const require = createRequire(import.meta.url);
const fc = require("fast-check") as typeof import("fast-check");
const { send } = require("../../../test/fuzz/send.ts") as typeof import("../../../test/fuzz/send");
const { FuzzFigures } = require("../../../test/fuzz/figures.ts") as typeof import("../../../test/fuzz/figures");
const { genericBody } = require("../../../test/fuzz/bodies.ts") as typeof import("../../../test/fuzz/bodies");
const { fillPattern, hostileHeaders, hostileQuery, malformedHttp, toFuzzRequest } =
  require("../../../test/fuzz/requests.ts") as typeof import("../../../test/fuzz/requests");
const { hostileText, hostileUrlPart } =
  require("../../../test/fuzz/values.ts") as typeof import("../../../test/fuzz/values");
type FuzzRequest = import("../../../test/fuzz/send").FuzzRequest;
type FuzzReply = import("../../../test/fuzz/send").FuzzReply;

const ANSWER_BOUND_MS = 3_000;
const SCALE = Number(process.env.PULSE_FUZZ_RUNS ?? 1);
const COLLECT = process.env.PULSE_FUZZ_COLLECT === "1";
const figures = new FuzzFigures();

/** What the build serves, from Next's manifest: `/sessions/[id]`, `/queues/[[...path]]`, … */
function builtRoutes(): { pattern: string; kind: "page" | "route" }[] {
  const manifest = JSON.parse(
    readFileSync(path.join(WEB_DIR, ".next/server/app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  return Object.keys(manifest).map((key) => ({
    pattern: key.replace(/\/(page|route)$/, "") || "/",
    kind: key.endsWith("/route") ? "route" : "page",
  }));
}

const loginCookie = () => {
  const { cookies } = JSON.parse(readFileSync(STORAGE_STATE, "utf8")) as { cookies: { name: string; value: string }[] };
  return `${cookies[0].name}=${cookies[0].value}`;
};

/** The queue board forwards to ingest's Bull Board: never name a real queue (it could be paused). */
const QUEUES = new Set(["events", "reaper", "maintenance"]);
const segment = hostileUrlPart.filter((v) => !QUEUES.has(v.toLowerCase()));

/** `[id]` and `[[...path]]` of a Next pattern made into the forms fillPattern fills. */
const toFillable = (pattern: string) =>
  pattern.replace(/\/\[\[\.\.\.[^\]]+\]\]/g, "/*").replace(/\[([^\]]+)\]/g, ":$1");

/** Headers Next reads itself, with values it may not expect. */
const nextHeaders = fc.array(
  fc.oneof(
    fc.tuple(fc.constant("rsc"), fc.constantFrom("1", "0", "", "x")),
    fc.tuple(
      fc.constant("next-router-state-tree"),
      fc.oneof(
        fc.constantFrom(
          "%",
          "%ff",
          "[",
          "null",
          '["",{}]',
          encodeURIComponent('["",{"children":["__PAGE__",{}]},null,null,true]'),
          "W10%3D",
        ),
        hostileUrlPart,
      ),
    ),
    fc.tuple(fc.constant("next-router-prefetch"), fc.constantFrom("1", "2", "x")),
    fc.tuple(fc.constant("next-router-segment-prefetch"), fc.constantFrom("/_tree", "/__PAGE__", "%", "/x/../..")),
    fc.tuple(
      fc.constant("next-action"),
      fc.oneof(fc.constantFrom("x", "0".repeat(40), "7f" + "0".repeat(40)), hostileText),
    ),
    fc.tuple(
      fc.constant("next-url"),
      fc.oneof(fc.constantFrom("/", "%", "//evil.example", "/sessions/%ff"), hostileUrlPart),
    ),
    fc.tuple(fc.constant("next-hmr-refresh"), fc.constant("1")),
    fc.tuple(fc.constant("x-nextjs-data"), fc.constant("1")),
    fc.tuple(fc.constant("purpose"), fc.constant("prefetch")),
    fc.tuple(fc.constant("accept"), fc.constantFrom("text/x-component", "text/html", "*/*", "application/json")),
    fc.tuple(
      fc.constant("content-type"),
      fc.constantFrom(
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "text/plain;charset=UTF-8",
        "application/json",
      ),
    ),
  ),
  { maxLength: 3 },
);

const formBody = fc
  .array(
    fc.tuple(
      fc.constantFrom("token", "next", "x", "__proto__", ""),
      fc.oneof(hostileText, fc.constant(process.env.E2E_TOKEN ?? "")),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => ({
    headers: [["content-type", "application/x-www-form-urlencoded"]] as [string, string][],
    body: Buffer.from(
      pairs
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "\ufffd"))}`)
        .join("&"),
    ),
    label: "form",
  }));
const multipartBody = fc
  .constantFrom(
    '--x\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc\r\n--x--\r\n',
    '--x\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc',
    "--x\r\n\r\n--x--",
    "not multipart at all",
    '--x\r\nContent-Disposition: form-data; name="f"; filename="a"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001\r\n--x--\r\n',
  )
  .map((text) => ({
    headers: [["content-type", "multipart/form-data; boundary=x"]] as [string, string][],
    body: Buffer.from(text, "latin1"),
    label: "multipart",
  }));

const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

function requestFor(route: { pattern: string; kind: "page" | "route" }, cookie: string) {
  const method =
    route.kind === "page"
      ? fc.constantFrom("GET", "GET", "GET", "HEAD", "POST", "OPTIONS")
      : fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom("GET", "POST") },
          { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
        );
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant<[string, string][]>([["cookie", cookie]]) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<[string, string][]>([], [["cookie", "pulse_login=x"]], [["cookie", `${cookie}%ff`]]),
    },
  );
  const body = fc.option(fc.oneof(genericBody, formBody, multipartBody), { freq: 3, nil: undefined });
  return fc
    .tuple(
      method,
      fillPattern(toFillable(route.pattern), () => segment),
      hostileQuery,
      hostileHeaders,
      nextHeaders,
      auth,
      body,
    )
    .map(([m, target, q, headers, next, a, b]) => ({
      request: toFuzzRequest(
        {
          method: m,
          target: `${target}${q}`,
          headers: [...headers, ...next],
          body: m === "GET" || m === "HEAD" ? undefined : b,
        },
        a,
      ),
      label: b?.label,
    }));
}

const describeRequest = (r: FuzzRequest, label?: string) =>
  `${r.method} ${JSON.stringify(r.target.slice(0, 300))} ${JSON.stringify(r.headers.map(([k, v]) => `${k}: ${v.slice(0, 80)}`))} body ${r.body?.length ?? 0} bytes ${label ?? ""}`;

function check(request: FuzzRequest, reply: FuzzReply, label?: string): void {
  const problem = reply.timedOut
    ? "no answer (hang)"
    : reply.status >= 500 || reply.status === 0
      ? `answered ${reply.status || "nothing"}: ${reply.body.slice(0, 200)}`
      : reply.ms > ANSWER_BOUND_MS
        ? `answered ${reply.status} after ${Math.round(reply.ms)} ms`
        : null;
  if (!problem) return;
  figures.failures.push(`${problem} ← ${describeRequest(request, label)}`);
  if (!COLLECT) throw new Error(`${problem}\n  request: ${describeRequest(request, label)}`);
}

const groupOf = (pattern: string) =>
  pattern.startsWith("/api/")
    ? pattern.split("/").slice(0, 3).join("/")
    : pattern.startsWith("/queues")
      ? "/queues"
      : "pages";

test.describe.configure({ mode: "serial" });

test.afterAll(() => {
  console.log(figures.table(`dashboard fuzz (PULSE_FUZZ_RUNS=${SCALE})`));
  if (figures.failures.length)
    console.log(`${figures.failures.length} failures:\n${figures.failures.slice(0, 100).join("\n")}`);
});

test("every dashboard route answers generated requests with a 2xx–4xx, in time", async () => {
  test.setTimeout(600_000);
  const cookie = loginCookie();
  const routes = builtRoutes();
  expect(routes.map((r) => r.pattern)).toEqual(
    expect.arrayContaining([
      "/",
      "/sessions/[id]",
      "/api/sessions",
      "/api/sessions/[id]/close",
      "/api/stream",
      "/queues/[[...path]]",
      "/api/login",
    ]),
  );
  for (const route of routes) {
    const runs = Math.max(5, Math.round((route.kind === "route" ? 80 : 120) * SCALE));
    await fc.assert(
      fc.asyncProperty(requestFor(route, cookie), async ({ request, label }) => {
        const reply = await send(webUrl(), request, ANSWER_BOUND_MS * 3);
        figures.record(groupOf(route.pattern), reply);
        check(request, reply, label);
      }),
      { numRuns: runs, endOnFailure: false },
    );
  }
  expect(figures.failures.slice(0, 20)).toEqual([]);
});

test("the known traps: malformed percent-encoding, NUL, Next's own headers", async () => {
  const cookie = loginCookie();
  const targets = [
    "/sessions/%ff",
    "/sessions/%",
    "/sessions/%E0%A4%A",
    "/sessions/%00",
    "/sessions/%ED%A0%80",
    "/api/sessions/%/close",
    "/api/sessions/%ff",
    "/api/sessions/%00",
    "/api/sessions?q=%00",
    "/api/sessions?q=%ff",
    "/api/sessions?cursor=WzFlMzA4LCJ4Il0",
    "/?q=%",
    "/?q=%00",
    "/queues/%ff",
    "/queues/api/queues/%/clean/failed",
    "/login?next=%ff",
    "/%",
    "/%ff/%ff",
    "/api/%ff",
  ];
  const problems: string[] = [];
  for (const target of targets) {
    for (const method of ["GET", "POST"]) {
      const request: FuzzRequest = {
        method,
        target,
        headers: [
          ["cookie", cookie],
          ["content-type", "application/json"],
        ],
        body: method === "POST" ? Buffer.from("{}") : undefined,
      };
      const reply = await send(webUrl(), request, ANSWER_BOUND_MS * 3);
      figures.record("traps", reply);
      if (reply.timedOut || reply.status >= 500 || reply.status === 0)
        problems.push(`${method} ${target} → ${reply.timedOut ? "no answer" : reply.status}`);
    }
  }
  expect(problems).toEqual([]);
});

/**
 * Requests that can only end by the server giving up: ones that never finish, and two that Next
 * leaves waiting (a chunk of 2^64 bytes it waits for, an upgrade to h2c it takes and never answers).
 * The dashboard's server gives up after its timeouts (lib/server-limits.ts), which Node checks every
 * 30 s: within 20 + 30 s for a request, 30 s for a silent socket.
 */
const NEXT_WAITS = new Set(["huge chunk size", "upgrade h2c"]);
const GIVE_UP_BOUND_MS = 20_000 + 30_000 + 5_000;

test("raw malformed HTTP gets an answer (or a close) at once, and unfinished requests are given up on", async () => {
  test.setTimeout(GIVE_UP_BOUND_MS + 30_000);
  const { host } = new URL(webUrl());
  const cases = malformedHttp(host, ["/api/sessions/x/close", "/api/sessions"]).map((c) => ({
    ...c,
    slow: c.slow || NEXT_WAITS.has(c.label),
  }));
  const replies = await Promise.all(
    cases.map(async (c) => ({
      c,
      reply: await send(webUrl(), c.request, (c.slow ? GIVE_UP_BOUND_MS : ANSWER_BOUND_MS) + 5_000),
    })),
  );
  const problems: string[] = [];
  for (const { c, reply } of replies) {
    figures.record(c.slow ? "raw http (unfinished)" : "raw http", reply);
    const bound = c.slow ? GIVE_UP_BOUND_MS : ANSWER_BOUND_MS;
    if (reply.timedOut || reply.status >= 500 || reply.ms > bound)
      problems.push(`${c.label}: ${reply.timedOut ? "no answer" : `${reply.status} in ${Math.round(reply.ms)} ms`}`);
  }
  expect(problems).toEqual([]);
});

test("the dashboard still shows a new session afterwards", async ({ page }) => {
  const id = unique("after-fuzz");
  await sendEvents([{ session_id: id, kind: "prompt", detail: "after the fuzz" }]);
  await waitForSession(id, () => true);
  await page.goto(`${webUrl()}/sessions/${encodeURIComponent(id)}`);
  await expect(page.getByText("after the fuzz").first()).toBeVisible();
});
