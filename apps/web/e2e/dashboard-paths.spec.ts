/**
 * Pulse issue 8, item 1 on the dashboard: with PULSE_TOKEN set, every route the build produced and
 * every path trick (test/path-tricks.ts), sent byte for byte without the login cookie, is refused or
 * sent to the login page; none shows a session. Next's own internal headers are tried too.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { pathTricks, type RawReply, rawRequest } from "./repo-test-helpers";
import { sendEvents, unique, waitForSession } from "./agent";
import { WEB_DIR } from "./paths";
import { webUrl } from "./ui";

/** What the build serves: app/…/page and app/…/route, from Next's own manifest of the build under test. */
function builtRoutes(): { route: string; kind: "page" | "route" }[] {
  const manifest = JSON.parse(
    readFileSync(path.join(WEB_DIR, ".next/server/app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  return Object.keys(manifest).map((key) => {
    const kind = key.endsWith("/route") ? "route" : "page";
    return { route: key.replace(/\/(page|route)$/, "") || "/", kind };
  });
}

/** Reachable without logging in, by design (proxy.ts PUBLIC_PATHS, the icon, Next's error pages). */
const PUBLIC = new Set(["/api/health", "/login", "/api/login", "/icon.svg", "/_not-found", "/_global-error"]);

const concrete = (route: string) =>
  route.replace(/\/\[\[\.\.\.[^\]]+\]\]/g, "/api/queues").replace(/\[[^\]]+\]/g, "x") || "/";

/** The session the tricks aim at (its id is in their paths), and a text only its data contains. */
let secret: string;
let marker: string;
let answers: string[] = [];
test.beforeAll(async () => {
  secret = unique("paths-secret");
  marker = unique("only-a-logged-in-browser-may-read-this");
  await sendEvents([{ session_id: secret, kind: "prompt", detail: marker }]);
  await waitForSession(secret, () => true);
  answers = [];
});
test.afterAll(() => {
  if (process.env.PULSE_SECURITY_TABLE === "1") console.log(answers.join("\n"));
});

/**
 * Refused, or sent to a page of this dashboard; never a session's data. The one redirect elsewhere
 * is Next's own answer to an absolute-form request line (`GET http://host/path`, which no browser
 * sends to a server): a 308 to exactly the URL the client wrote, before any route runs.
 */
function expectNoData(label: unknown, reply: RawReply, target = "") {
  expect([label, reply.body.includes(marker)]).toEqual([label, false]);
  expect([label, /"(items|event_count|queues|events)"/.test(reply.body)]).toEqual([label, false]);
  if (reply.status >= 300 && reply.status < 400) {
    const location = new URL(reply.headers.location ?? "", webUrl());
    const asWritten = /^https?:\/\//.test(target) && reply.status === 308 && location.origin === new URL(target).origin;
    expect([label, asWritten || location.origin === new URL(webUrl()).origin]).toEqual([label, true]);
  }
}

test("every route the build has needs the login, except the public ones", async () => {
  test.setTimeout(120_000);
  const routes = builtRoutes();
  expect(routes.map((r) => r.route)).toEqual(
    expect.arrayContaining([
      "/",
      "/api/sessions",
      "/api/sessions/[id]/close",
      "/queues/[[...path]]",
      "/sessions/[id]",
      "/api/stream",
      "/settings",
      "/api/notifications/channels",
      "/api/notifications/channels/[id]",
      "/api/notifications/test",
      "/api/notifications/settings",
      "/api/stats/daily",
    ]),
  );
  for (const { route, kind } of routes.filter((r) => !PUBLIC.has(r.route))) {
    for (const method of kind === "route" ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : ["GET", "POST"]) {
      const target = concrete(route).replace("/x", `/${secret}`);
      const reply = await rawRequest(webUrl(), {
        method,
        target,
        body: method === "GET" ? undefined : "{}",
        headers: { "content-type": "application/json" },
      });
      answers.push(`${reply.status}  ${method} ${target}`);
      const label = `${method} ${target}`;
      if (route.startsWith("/api/") || route.startsWith("/queues")) expect([label, reply.status]).toEqual([label, 401]);
      else
        expect([label, reply.status, reply.headers.location?.startsWith("/login?next=")]).toEqual([label, 303, true]);
      expectNoData(label, reply);
    }
  }
});

test("path tricks and Next's internal headers reach no data without the login", async () => {
  test.setTimeout(300_000);
  const targets = [
    "/api/sessions",
    `/api/sessions/${secret}`,
    "/api/stats",
    "/api/stream",
    "/queues/api/queues",
    `/sessions/${secret}`,
    "/",
  ];
  const springboards = ["/api/health", "/login", "/api/login", "/icon.svg", "/_next/static", "/_next/image"];
  let sent = 0;
  for (const base of targets) {
    const extra = [
      `/_next/image?url=${encodeURIComponent(base)}&w=64&q=75`,
      `/_next/data/x${base}.json`,
      `${base}?__nextDataReq=1`,
      `${base}?_rsc=1`,
    ];
    for (const target of [...pathTricks(base, springboards), ...extra]) {
      const reply = await rawRequest(webUrl(), { target });
      sent++;
      answers.push(`${reply.status}  GET ${JSON.stringify(target)}`);
      expectNoData(target, reply, target);
      // Bad input is a 4xx. The one exception is Next's own: the asterisk-form target ("GET *", for
      // OPTIONS only) fails its URL parsing with a 500 before any of Pulse's code runs.
      expect([target, reply.status < 500 || target === "*"]).toEqual([target, true]);
    }
  }
  // The headers Next uses between its own parts: a client sending them must get nothing more.
  const internal: Record<string, string>[] = [
    { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" },
    { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
    { "x-invoke-path": "/api/health" },
    { "x-matched-path": "/api/health" },
    { "x-now-route-matches": "1" },
    { rsc: "1", "next-router-prefetch": "1" },
    { "x-nextjs-data": "1" },
    { "next-action": "x" },
    { "x-forwarded-host": "localhost", "x-forwarded-for": "127.0.0.1" },
    { cookie: `pulse_token=${process.env.E2E_TOKEN}` },
    { authorization: `Bearer ${process.env.E2E_TOKEN}` },
  ];
  for (const base of targets) {
    for (const headers of internal) {
      const reply = await rawRequest(webUrl(), { target: base, headers });
      sent++;
      answers.push(`${reply.status}  GET ${base} ${JSON.stringify(headers)}`);
      expectNoData([base, headers], reply);
      expect([base, headers, reply.status]).toEqual([
        base,
        headers,
        base.startsWith("/api/") || base.startsWith("/queues") ? 401 : 303,
      ]);
    }
  }
  expect(sent).toBeGreaterThan(500);
});
