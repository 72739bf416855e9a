/**
 * Pulse issue 8, items 1, 2 and 5: who may call ingest. Every route Fastify registered is walked (a
 * route added later is walked too), every path trick is sent byte for byte over a socket, and what
 * a refused request would have changed is checked afterwards through the API.
 */
import pino from "pino";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { pathTricks } from "../../../test/path-tricks";
import { type RawReply, type RawRequest, rawRequest } from "../../../test/raw-http";
import { startStack, type TestStack } from "../../../test/stack";
import { createIngestApp, type IngestApp } from "./app";
import { loadIngestConfig } from "./config";
import { OPEN_ROUTES } from "./http/open-routes";

const TOKEN = "s3cret-token-value";
/** Posted into the secured stack's one session: a refused request's body must never contain it. */
const MARKER = "MARKER-prompt-only-the-token-may-read";
const SEEDED = "seeded-session";
const event = (session: string) =>
  JSON.stringify({ session_id: session, source: "test", kind: "tool", detail: "posted through a trick" });

let secured: TestStack;
let open: TestStack;
const authed = () => client(secured.url, { authorization: `Bearer ${TOKEN}` });

/** Every answer a trick got, printed at the end with PULSE_SECURITY_TABLE=1 (for the issue's note). */
const answers: string[] = [];
const send = async (url: string, request: RawRequest): Promise<RawReply> => {
  const reply = await rawRequest(url, request);
  answers.push(
    `${reply.status}  ${request.method ?? "GET"} ${JSON.stringify(request.target)}${request.headers ? ` ${JSON.stringify(request.headers)}` : ""}`,
  );
  return reply;
};
const json = (reply: RawReply) => {
  try {
    return JSON.parse(reply.body);
  } catch {
    return undefined;
  }
};

/** A route's pattern made into a path that matches it: `/v1/sessions/:id/close` → `/v1/sessions/x/close`. */
const concrete = (url: string) => url.replace(/:[^/]+/g, "x").replace(/\*/g, "x");

beforeAll(async () => {
  [secured, open] = await Promise.all([
    startStack({ label: "security", env: { PULSE_TOKEN: TOKEN, SESSION_STALE_TIMEOUT_MINUTES: "100000" } }),
    startStack({ label: "securityopen", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } }),
  ]);
  const api = authed();
  expect(
    (await api.post("/v1/events", { session_id: SEEDED, source: "test", kind: "prompt", detail: MARKER })).status,
  ).toBe(202);
  await waitFor(async () => (await api.get(`/v1/sessions/${SEEDED}`)).status === 200, { what: "the seeded session" });
  const openApi = client(open.url);
  expect(
    (await openApi.post("/v1/events", { session_id: SEEDED, source: "test", kind: "prompt", detail: MARKER })).status,
  ).toBe(202);
  await waitFor(async () => (await openApi.get(`/v1/sessions/${SEEDED}`)).status === 200, {
    what: "the seeded session (no token)",
  });
});
afterAll(async () => {
  await Promise.all([secured?.stop(), open?.stop()]);
  if (process.env.PULSE_SECURITY_TABLE === "1") process.stdout.write(`${answers.join("\n")}\n`);
});

/**
 * Proves through the API that nothing a refused request asked for happened: no session from its
 * event, the seeded session still open, no queue paused or emptied. A control event posted last
 * is applied after anything queued before it, so "not there yet" cannot pass for "not accepted".
 */
async function expectNothingApplied(api: ReturnType<typeof client>, session: string) {
  const control = `control-${Math.random().toString(36).slice(2)}`;
  expect((await api.post("/v1/events", JSON.parse(event(control)))).status).toBe(202);
  await waitFor(async () => (await api.get(`/v1/sessions/${control}`)).status === 200, { what: "the control event" });
  expect((await api.get(`/v1/sessions/${session}`)).status).toBe(404);
  expect((await api.get(`/v1/sessions/${SEEDED}`)).body).toMatchObject({ status: "active", event_count: 1 });
  const board = await api.get("/queues/api/queues");
  expect(board.status).toBe(200);
  for (const queue of board.body.queues) expect([queue.name, queue.isPaused]).toEqual([queue.name, false]);
  expect(board.body.queues.map((q: any) => q.name).sort()).toEqual([
    "events",
    "maintenance",
    "notifications",
    "reaper",
  ]);
}

describe("the route walk", () => {
  it("sees every route: Nest's, the queue board's and the automatic HEADs", () => {
    const routes = secured.ingest.routes.map((r) => `${r.method} ${r.url}`);
    expect(routes.some((r) => r.startsWith("POST /v1/hooks/"))).toBe(true);
    for (const route of [
      "POST /v1/events",
      "GET /v1/sessions/:id",
      "POST /v1/sessions/:id/close",
      "POST /v1/sessions/cleanup",
      "GET /healthz",
      "HEAD /healthz",
      "GET /queues/api/queues",
      "PUT /queues/api/queues/:queueName/pause",
      "PUT /queues/api/queues/:queueName/obliterate",
      "POST /queues/api/queues/:queueName/add",
    ]) {
      expect(routes).toContain(route);
    }
    expect(routes.length).toBeGreaterThan(40);
  });
});

describe("with PULSE_TOKEN: authentication by the matched route, deny by default", () => {
  it("every registered route except the health checks answers 401 without the token, and with a wrong one", async () => {
    const protectedRoutes = secured.ingest.routes.filter((r) => !OPEN_ROUTES.has(r.url));
    expect(protectedRoutes.length).toBeGreaterThan(40);
    for (const { method, url } of protectedRoutes) {
      const body = method === "GET" || method === "HEAD" ? undefined : event("route-walk");
      for (const headers of [
        {} as Record<string, string>,
        { authorization: "Bearer s3cret-token-valuE" },
        { authorization: `Basic ${TOKEN}` },
        { authorization: "Bearer" },
      ]) {
        const reply = await send(secured.url, { method, target: concrete(url), headers, body });
        expect([method, url, headers, reply.status]).toEqual([method, url, headers, 401]);
        expect(reply.headers["www-authenticate"]).toBe('Bearer realm="pulse"');
        if (method !== "HEAD")
          expect(json(reply)).toMatchObject({ error: "unauthorized", message: expect.any(String) });
      }
    }
    for (const path of OPEN_ROUTES) expect((await send(secured.url, { target: path })).status).toBe(200);
    await expectNothingApplied(authed(), "route-walk");
  });

  it("a path nobody registered is a 401 too, and so is a URL the router cannot decode", async () => {
    for (const target of ["/nothing-here", "/v2/sessions", "/", "/%", "/%zz/sessions", "/v1/%E0%A4%A"]) {
      const reply = await send(secured.url, { target });
      expect([target, reply.status, json(reply)?.error]).toEqual([target, 401, "unauthorized"]);
    }
    // With the token, the same undecodable URL is the client's mistake: 400, in the API's shape.
    expect(
      json(await send(secured.url, { target: "/%", headers: { authorization: `Bearer ${TOKEN}` } })),
    ).toMatchObject({ error: "invalid_request" });
  });

  it("the raw-token pulse_token cookie opens nothing", async () => {
    for (const target of ["/queues", "/queues/api/queues", "/v1/sessions"]) {
      const reply = await send(secured.url, { target, headers: { cookie: `theme=dark; pulse_token=${TOKEN}` } });
      expect([target, reply.status]).toEqual([target, 401]);
    }
  });
});

/** What the issue showed reaching data without the token, and the other routes a trick could reach. */
const TRICK_TARGETS: { method: string; path: string }[] = [
  { method: "GET", path: "/v1/sessions" },
  { method: "GET", path: `/v1/sessions/${SEEDED}` },
  { method: "POST", path: "/v1/events" },
  { method: "POST", path: "/v1/hooks/claude-code" },
  { method: "POST", path: `/v1/sessions/${SEEDED}/close` },
  { method: "POST", path: "/v1/sessions/cleanup" },
  { method: "GET", path: "/queues" },
  { method: "GET", path: "/queues/api/queues" },
  { method: "PUT", path: "/queues/api/queues/events/pause" },
  { method: "PUT", path: "/queues/api/queues/events/obliterate" },
  { method: "POST", path: "/queues/api/queues/events/add" },
];

describe("with PULSE_TOKEN: path tricks", () => {
  it("the issue's requests are refused: /%761/sessions, /%761/events, /%761/sessions/X/close, /%71ueues/api/queues, …/pause", async () => {
    for (const [method, target] of [
      ["GET", "/%761/sessions"],
      ["POST", "/%761/events"],
      ["POST", `/%761/sessions/${SEEDED}/close`],
      ["GET", "/%71ueues/api/queues"],
      ["PUT", "/%71ueues/api/queues/events/pause"],
    ]) {
      const reply = await send(secured.url, {
        method,
        target,
        body: method === "GET" ? undefined : event("tricked"),
        headers: { "content-type": "application/json" },
      });
      expect([target, reply.status]).toEqual([target, 401]);
    }
    await expectNothingApplied(authed(), "tricked");
  });

  it("every encoding, double encoding, //, /./, .., case, trailing dot, ;-suffix, backslash and overlong UTF-8 is a 401 or 404, never data", async () => {
    let sent = 0;
    for (const { method, path } of TRICK_TARGETS) {
      const tricks = pathTricks(path, [...OPEN_ROUTES]);
      for (const target of tricks) {
        const body =
          method === "GET"
            ? undefined
            : JSON.stringify({ ...JSON.parse(event("tricked")), older_than_minutes: 1, name: "x", data: {} });
        const reply = await send(secured.url, { method, target, body });
        sent++;
        // 400 "Bad Request": Node's HTTP parser refused the request line itself (a target not starting
        // with "/", a raw non-ASCII byte), before any route or hook: nothing was routed, nothing is told.
        const refusedByParser = reply.status === 400 && json(reply)?.error === "Bad Request";
        expect([method, target, reply.status === 401 || reply.status === 404 || refusedByParser]).toEqual([
          method,
          target,
          true,
        ]);
        expect(reply.body).not.toContain(MARKER);
        expect(reply.body).not.toContain('"queues"');
      }
    }
    expect(sent).toBeGreaterThan(700);
    await expectNothingApplied(authed(), "tricked");
  });
});

describe("without PULSE_TOKEN: another site's page cannot write, and a rebound name cannot read", () => {
  const openApi = () => client(open.url);
  const ownOrigin = () => open.url;

  it("every route but the health checks refuses a cross-site browser request, whatever its method", async () => {
    const routes = open.ingest.routes.filter((r) => !OPEN_ROUTES.has(r.url));
    const crossSite: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: "null" },
      { origin: "http://127.0.0.1" },
      { origin: `http://127.0.0.2:${new URL(open.url).port}` },
      { origin: `https://${new URL(open.url).host}.evil.example` },
      { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
      { "sec-fetch-site": "same-site", "sec-fetch-mode": "cors" },
    ];
    for (const { method, url } of routes) {
      const body = method === "GET" || method === "HEAD" ? undefined : event("cross-site");
      for (const headers of crossSite) {
        const reply = await send(open.url, {
          method,
          target: concrete(url),
          headers: { ...headers, "content-type": "text/plain;charset=UTF-8" },
          body,
        });
        expect([method, url, headers, reply.status]).toEqual([method, url, headers, 403]);
        if (method !== "HEAD") expect(json(reply)).toMatchObject({ error: "cross_site" });
      }
    }
    await expectNothingApplied(openApi(), "cross-site");
  });

  it("the issue's no-cors writes are refused before anything is applied", async () => {
    const browser = {
      origin: "http://127.0.0.2:18001",
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "no-cors",
      "sec-fetch-dest": "empty",
      "content-type": "text/plain;charset=UTF-8",
    };
    const writes: [string, string, string][] = [
      ["POST", "/v1/events", event("no-cors")],
      [
        "POST",
        "/v1/hooks/claude-code",
        JSON.stringify({ session_id: "no-cors", hook_event_name: "UserPromptSubmit", prompt: "x" }),
      ],
      ["POST", `/v1/sessions/${SEEDED}/close`, "{}"],
      ["POST", "/v1/sessions/cleanup", JSON.stringify({ older_than_minutes: 0.001 })],
      ["POST", "/queues/api/queues/events/add", JSON.stringify({ name: "x", data: {} })],
      ["PUT", "/queues/api/queues/events/pause", ""],
      ["PUT", "/queues/api/queues/pause", ""],
      ["PUT", "/queues/api/queues/events/obliterate", ""],
    ];
    for (const [method, target, body] of writes) {
      const reply = await send(open.url, { method, target, headers: browser, body });
      expect([target, reply.status, json(reply)?.error]).toEqual([target, 403, "cross_site"]);
    }
    await expectNothingApplied(openApi(), "no-cors");
  });

  it("agents, curl, the CLI and the dashboard's server (no Origin) and the queue board's own page (same origin) still work", async () => {
    // curl -d: form-urlencoded; the CLI's hand-written client: JSON, no Origin; Node's fetch adds Sec-Fetch-Mode: cors.
    const agentWays: Record<string, string>[] = [
      { "content-type": "application/x-www-form-urlencoded" },
      { "content-type": "application/json" },
      { "sec-fetch-mode": "cors" },
      { "sec-fetch-site": "none", "content-type": "text/plain" },
    ];
    for (const [i, headers] of agentWays.entries()) {
      const reply = await send(open.url, { method: "POST", target: "/v1/events", headers, body: event(`agent-${i}`) });
      expect([headers, reply.status]).toEqual([headers, 202]);
    }
    for (let i = 0; i < agentWays.length; i++)
      await waitFor(async () => (await openApi().get(`/v1/sessions/agent-${i}`)).status === 200, {
        what: `agent-${i}`,
      });
    // Bull Board's own page talks to its own origin: allowed, reads and buttons.
    const sameOrigin = { origin: ownOrigin(), "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" };
    expect((await send(open.url, { target: "/queues/api/queues", headers: sameOrigin })).status).toBe(200);
    expect(
      (await send(open.url, { method: "PUT", target: "/queues/api/queues/reaper/pause", headers: sameOrigin })).status,
    ).toBe(200);
    expect(
      (await send(open.url, { method: "PUT", target: "/queues/api/queues/reaper/resume", headers: sameOrigin })).status,
    ).toBe(200);
    // Typed into the address bar.
    expect(
      (await send(open.url, { target: "/queues", headers: { "sec-fetch-site": "none", "sec-fetch-mode": "navigate" } }))
        .status,
    ).not.toBe(403);
  });

  it("answers only loopback Host names while bound to loopback (DNS rebinding), health checks excepted", async () => {
    const port = new URL(open.url).port;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `LOCALHOST.:${port}`,
      `pulse.localhost:${port}`,
      `127.0.0.2:${port}`,
      "localhost",
    ]) {
      const reply = await send(open.url, { target: "/v1/sessions", headers: { host } });
      expect([host, reply.status]).toEqual([host, 200]);
    }
    for (const host of [
      "evil.example",
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `127.0.0.1@evil.example`,
      `evil.example#@127.0.0.1`,
      `192.0.2.2:${port}`,
      `[::ffff:c000:202]:${port}`,
      "0.0.0.0",
      "-",
      "",
    ]) {
      const reply = await send(open.url, { target: "/v1/sessions", headers: { host } });
      expect([host, reply.status === 403 || reply.status === 400]).toEqual([host, true]);
      expect(reply.body).not.toContain(MARKER);
    }
    for (const route of open.ingest.routes.filter((r) => !OPEN_ROUTES.has(r.url))) {
      const reply = await send(open.url, {
        method: route.method,
        target: concrete(route.url),
        headers: { host: `evil.example:${port}` },
        body: route.method === "GET" || route.method === "HEAD" ? undefined : event("rebound"),
      });
      expect([route.method, route.url, reply.status]).toEqual([route.method, route.url, 403]);
    }
    expect((await send(open.url, { target: "/healthz", headers: { host: "evil.example" } })).status).toBe(200);
    expect((await send(open.url, { target: "/readyz", headers: { host: "evil.example" } })).status).toBe(200);
    await expectNothingApplied(openApi(), "rebound");
  });

  it("with a token, the Host is not checked (a rebound page has no token); PULSE_ALLOWED_HOSTS names extra hosts; bound to 0.0.0.0 without it, any Host", async () => {
    expect(
      (
        await send(secured.url, {
          target: "/v1/sessions",
          headers: { host: "pulse.example.com", authorization: `Bearer ${TOKEN}` },
        })
      ).status,
    ).toBe(200);
    expect((await send(secured.url, { target: "/v1/sessions", headers: { host: "pulse.example.com" } })).status).toBe(
      401,
    );

    const started: IngestApp[] = [];
    const ingestWith = async (vars: Record<string, string>) => {
      const config = loadIngestConfig({
        DATABASE_URL: open.env.databaseUrl,
        REDIS_URL: open.env.redisUrl,
        PULSE_REDIS_PREFIX: open.env.redisPrefix,
        ...vars,
      });
      const app = await createIngestApp(config, { logger: pino({ level: "silent" }) });
      started.push(app);
      await app.app.listen({ host: "127.0.0.1", port: 0 });
      return `http://127.0.0.1:${(app.app.getHttpServer().address() as { port: number }).port}`;
    };
    try {
      const named = await ingestWith({ HOST: "0.0.0.0", PULSE_ALLOWED_HOSTS: "ingest, Pulse.LAN" });
      for (const [host, status] of [
        ["ingest:6820", 200],
        ["pulse.lan", 200],
        ["PULSE.LAN.", 200],
        ["localhost", 200],
        ["evil.example", 403],
        ["ingest.evil.example", 403],
      ] as const) {
        expect([host, (await send(named, { target: "/v1/stats", headers: { host } })).status]).toEqual([host, status]);
      }
      const exposed = await ingestWith({ HOST: "0.0.0.0" });
      expect((await send(exposed, { target: "/v1/stats", headers: { host: "pulse.example.com" } })).status).toBe(200);
      // Still no cross-site writes on an exposed ingest.
      expect(
        (
          await send(exposed, {
            method: "POST",
            target: "/v1/events",
            headers: { origin: "http://evil.example" },
            body: event("exposed"),
          })
        ).status,
      ).toBe(403);
    } finally {
      await Promise.all(started.map((app) => app.close()));
    }
  });
});
