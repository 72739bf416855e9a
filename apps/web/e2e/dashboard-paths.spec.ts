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
 * Refused, or sent to a page of this dashboard; never a session's data. An absolute-form request
 * line (`GET http://evil.example/path`) included: Next answered it with a 308 to that URL, so the
 * server makes it the path it names (server-limits.ts) and it is judged like any other.
 */
function expectNoData(label: unknown, reply: RawReply) {
  expect([label, reply.body.includes(marker)]).toEqual([label, false]);
  expect([label, /"(items|event_count|queues|events)"/.test(reply.body)]).toEqual([label, false]);
  if (reply.status >= 300 && reply.status < 400) {
    const location = new URL(reply.headers.location ?? "", webUrl());
    expect([label, reply.headers.location, location.origin]).toEqual([
      label,
      reply.headers.location,
      new URL(webUrl()).origin,
    ]);
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
      expectNoData(target, reply);
      // Bad input is a 4xx, the asterisk form ("GET *") and absolute-form targets included.
      expect([target, reply.status < 500]).toEqual([target, true]);
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

test("an absolute-form request line is the path it names, addressed to the host it names", async () => {
  const own = new URL(webUrl()).host;
  const cases: [string, number, string | undefined][] = [
    // Was a 308 to http://evil.example/phish: now the login, on this dashboard.
    ["http://evil.example/phish", 303, "/login?next=%2Fphish"],
    [`http://${own}/api/sessions`, 401, undefined],
    [`http://${own}/sessions/${secret}`, 303, `/login?next=%2Fsessions%2F${secret}`],
    ["*", 400, undefined],
  ];
  for (const [target, status, location] of cases) {
    const reply = await rawRequest(webUrl(), { target });
    expect([target, reply.status, reply.headers.location]).toEqual([target, status, location]);
    expectNoData(target, reply);
  }
  // Without a token the Host it names is judged: another site's name is refused, a loopback one served.
  const open = process.env.E2E_WEB_OPEN_URL!;
  const openHost = new URL(open).host;
  expect((await rawRequest(open, { target: `http://evil.example/api/sessions` })).status).toBe(403);
  const local = await rawRequest(open, { target: `http://${openHost}/api/sessions/${secret}` });
  expect([local.status, local.body.includes(marker)]).toEqual([200, true]);
});
