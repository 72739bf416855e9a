/**
 * Issue 12, "managed in … the API": notification channels are added, listed with their newest
 * outcome, removed; the shared settings round-trip; bad input is a 400 naming the field; the routes
 * need the token and refuse other sites' pages; and a channel's URL and token are never answered
 * in full nor logged.
 */
import { channelListSchema, channelSchema, notificationSettingsSchema } from "@pulse/core/api";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import pino from "pino";
import { client } from "../../../test/http";
import { rawRequest } from "../../../test/raw-http";
import { startStack, type TestStack } from "../../../test/stack";

const TOKEN = "notifications-api-token";
/** The secret parts of what is posted: neither may appear in an answer or a log line. */
const SLACK_SECRET = "T0SECRETA/B0SECRETB/xoxbSlackPathSecret77";
const SLACK_URL = `https://hooks.slack.com/services/${SLACK_SECRET}`;
const NTFY_TOKEN = "tk_ntfyAccessTokenSecret9876";
const NTFY_URL = "https://ntfy.example.org/pulse-topic-secret-41";

const logLines: string[] = [];
let stack: TestStack;
let openStack: TestStack;
let prisma: PrismaClient;
const api = () => client(stack.url, { authorization: `Bearer ${TOKEN}` });

beforeAll(async () => {
  // Everything ingest logs, at its most talkative level, kept to be searched for secrets.
  const logger = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
  [stack, openStack] = await Promise.all([
    startStack({ label: "notifapi", env: { PULSE_TOKEN: TOKEN }, workers: false, logger }),
    startStack({ label: "notifapiopen", workers: false, logger }),
  ]);
  prisma = createPrismaClient(stack.env.databaseUrl);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await Promise.all([stack?.stop(), openStack?.stop()]);
});

describe("notification channels", () => {
  let slackId: string;

  it("POST answers 201 with the channel: an id, the URL masked, the token only as has_token, the defaults", async () => {
    const reply = await api().post("/v1/notifications/channels", { name: "team slack", type: "slack", url: SLACK_URL });
    expect(reply.status).toBe(201);
    expect(channelSchema.strict().safeParse(reply.body).success).toBe(true);
    expect(reply.body).toMatchObject({
      name: "team slack",
      type: "slack",
      url: "https://hooks.slack.com/…et77",
      has_token: false,
      reasons: ["permission", "question", "error"],
      projects: [],
      agents: [],
      settle_seconds: null,
      notify_resolved: false,
      idle_minutes: null,
      enabled: true,
      status: "untested",
      last_outcome: null,
      last_error: null,
      consecutive_failures: 0,
    });
    expect(reply.body.id).toMatch(/^ch_[0-9a-z]{16}$/);
    expect(JSON.stringify(reply.body)).not.toContain("SECRET");
    slackId = reply.body.id;

    const ntfy = await api().post("/v1/notifications/channels", {
      name: "phone",
      type: "ntfy",
      url: NTFY_URL,
      token: NTFY_TOKEN,
      reasons: ["permission", "idle"],
      projects: ["pulse"],
      agents: ["codex"],
      settle_seconds: 30,
      notify_resolved: true,
      idle_minutes: 15,
      enabled: false,
    });
    expect(ntfy.status).toBe(201);
    expect(ntfy.body).toMatchObject({
      url: "https://ntfy.example.org/…t-41",
      has_token: true,
      reasons: ["permission", "idle"],
      projects: ["pulse"],
      agents: ["codex"],
      settle_seconds: 30,
      notify_resolved: true,
      idle_minutes: 15,
      enabled: false,
    });
    expect(JSON.stringify(ntfy.body)).not.toMatch(/secret|tk_/i);
    // Stored whole: the worker needs them.
    const row = await prisma.notificationChannel.findUniqueOrThrow({ where: { id: ntfy.body.id } });
    expect([row.url, row.token]).toEqual([NTFY_URL, NTFY_TOKEN]);
  });

  it("a second channel of the same name is a 409 and changes nothing", async () => {
    const reply = await api().post("/v1/notifications/channels", {
      name: "team slack",
      type: "webhook",
      url: "https://example.org/other-hook-0000",
    });
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({ error: "conflict", message: 'name: a channel named "team slack" exists already' });
    expect(await prisma.notificationChannel.count({ where: { name: "team slack" } })).toBe(1);
  });

  it("GET lists them oldest first, each with its status from its newest outcome", async () => {
    const first = await api().get("/v1/notifications/channels");
    expect(first.status).toBe(200);
    expect(channelListSchema.safeParse(first.body).success).toBe(true);
    expect(first.body.channels.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ["team slack", "untested"],
      ["phone", "untested"],
    ]);
    // What the delivery worker writes after a failure, then after a success.
    const failedAt = new Date("2026-12-02T06:00:00.000Z");
    await prisma.notificationChannel.update({
      where: { id: slackId },
      data: {
        lastOutcome: "failed",
        lastError: "HTTP 500 from hooks.slack.com",
        lastAttemptAt: failedAt,
        failingSince: failedAt,
        consecutiveFailures: 3,
      },
    });
    const failing = (await api().get("/v1/notifications/channels")).body.channels[0];
    expect(failing).toMatchObject({
      status: "failing",
      last_outcome: "failed",
      last_error: "HTTP 500 from hooks.slack.com",
      last_attempt_at: failedAt.toISOString(),
      failing_since: failedAt.toISOString(),
      consecutive_failures: 3,
    });
    await prisma.notificationChannel.update({
      where: { id: slackId },
      data: { lastOutcome: "delivered", lastDeliveredAt: failedAt, failingSince: null, consecutiveFailures: 0 },
    });
    expect((await api().get("/v1/notifications/channels")).body.channels[0]).toMatchObject({
      status: "ok",
      last_outcome: "delivered",
      last_delivered_at: failedAt.toISOString(),
      failing_since: null,
    });
  });

  it.each([
    [{ type: "slack", url: SLACK_URL }, "name: is required"],
    [{ name: "   ", type: "slack", url: SLACK_URL }, "name: must not be empty"],
    [{ name: "x".repeat(101), type: "slack", url: SLACK_URL }, "name: must be at most 100 characters"],
    [{ name: "a\u0000b", type: "slack", url: SLACK_URL }, "name: must not contain U+0000 (NUL)"],
    [{ name: "n", type: "email", url: SLACK_URL }, "type: must be one of webhook, slack, ntfy, discord, webpush"],
    [{ name: "n", type: "slack" }, "url: is required"],
    [{ name: "n", type: "slack", url: "ftp://example.org/x" }, "url: must be an http(s) URL"],
    [{ name: "n", type: "slack", url: "not a url" }, "url: must be an http(s) URL"],
    [{ name: "n", type: "ntfy", url: "not a url" }, "url: must be an http(s) URL"],
    [
      { name: "n", type: "ntfy", url: "https://ntfy.sh/" },
      "url: must be the topic's URL, e.g. https://ntfy.sh/<topic>",
    ],
    [{ name: "n", type: "ntfy", url: NTFY_URL, token: "" }, "token: "],
    [{ name: "n", type: "ntfy", url: NTFY_URL, token: "a\u0000" }, "token: must not contain U+0000 (NUL)"],
    [{ name: "n", type: "slack", url: SLACK_URL, reasons: [] }, "reasons: must list at least one reason"],
    [{ name: "n", type: "slack", url: SLACK_URL, reasons: ["lunch"] }, "reasons[0]: must be among permission"],
    [{ name: "n", type: "slack", url: SLACK_URL, projects: "pulse" }, "projects: must be an array of projects"],
    [{ name: "n", type: "slack", url: SLACK_URL, settle_seconds: -1 }, "settle_seconds: must be at least 0"],
    [{ name: "n", type: "slack", url: SLACK_URL, settle_seconds: 1.5 }, "settle_seconds: must be a whole number"],
    [{ name: "n", type: "slack", url: SLACK_URL, settle_seconds: "5" }, "settle_seconds: must be a number of seconds"],
    [{ name: "n", type: "slack", url: SLACK_URL, idle_minutes: 0 }, "idle_minutes: must be at least 1"],
    [{ name: "n", type: "slack", url: SLACK_URL, enabled: "yes" }, "enabled: must be true or false"],
    [{ name: "n", type: "slack", url: SLACK_URL, colour: "red" }, 'Unrecognized key: "colour"'],
    [{ name: "n", type: "webpush", url: "https://push.example/x" }, "push_keys: is required for a webpush channel"],
    [
      { name: "n", type: "slack", url: SLACK_URL, push_keys: { p256dh: "k", auth: "a" } },
      "push_keys: is only for a webpush channel",
    ],
  ])("a bad body is a 400 naming the field: %j", async (body, message) => {
    const reply = await api().post("/v1/notifications/channels", body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe("invalid_request");
    expect(reply.body.message).toContain(message);
    expect(reply.body.message).not.toContain("SECRET");
  });

  it("a body that is not a JSON object is a 400", async () => {
    expect((await api().post("/v1/notifications/channels", [1])).body).toEqual({
      error: "invalid_request",
      message: "the body must be a JSON object",
    });
    const broken = await api().request("POST", "/v1/notifications/channels", '{"name": "x",', {
      "content-type": "application/json",
    });
    expect([broken.status, broken.body.error]).toEqual([400, "invalid_json"]);
    expect(await prisma.notificationChannel.count()).toBe(2);
  });

  it("DELETE removes a channel and its deliveries and answers it; an unknown id is a 404", async () => {
    const added = await api().post("/v1/notifications/channels", {
      name: "to remove",
      type: "discord",
      url: "https://discord.com/api/webhooks/1234/discordTokenSecret",
    });
    await prisma.notificationDelivery.create({
      data: { id: `test:${added.body.id}:x`, channelId: added.body.id, type: "test" },
    });
    const removed = await api().request("DELETE", `/v1/notifications/channels/${added.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: added.body.id, name: "to remove", url: "https://discord.com/…cret" });
    expect(await prisma.notificationDelivery.count({ where: { channelId: added.body.id } })).toBe(0);
    const names = (await api().get("/v1/notifications/channels")).body.channels.map((c: { name: string }) => c.name);
    expect(names).toEqual(["team slack", "phone"]);

    const again = await api().request("DELETE", `/v1/notifications/channels/${added.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: "not_found", message: `no notification channel with id "${added.body.id}"` });
    // A body sent with it (some clients do) is not read; a too-long id is a 400 naming it.
    const withBody = await api().request("DELETE", "/v1/notifications/channels/ch_unknown", {});
    expect(withBody.status).toBe(404);
    const long = await api().request("DELETE", `/v1/notifications/channels/${"x".repeat(101)}`);
    expect([long.status, long.body.message]).toEqual([400, expect.stringMatching(/^id: /)]);
  });

  it("POST /v1/notifications/test with an unknown channel is a 404, and a bad body a 400", async () => {
    const unknown = await api().post("/v1/notifications/test", { channel: "nobody" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: "not_found", message: 'no notification channel with id or name "nobody"' });
    const bad = await api().post("/v1/notifications/test", { channel: 7 });
    expect([bad.status, bad.body.message]).toEqual([400, expect.stringMatching(/^channel: /)]);
    const extra = await api().post("/v1/notifications/test", { all: true });
    expect([extra.status, extra.body.message]).toEqual([400, expect.stringContaining('"all"')]);
  });
});

describe("notification settings", () => {
  it("GET answers the defaults before anything was set: settle 5 s, no quiet hours", async () => {
    const reply = await api().get("/v1/notifications/settings");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ settle_seconds: 5, quiet_hours: null });
  });

  it("PUT changes what it names and keeps the rest; GET reads back what PUT answered", async () => {
    const settle = await api().request("PUT", "/v1/notifications/settings", { settle_seconds: 12 });
    expect([settle.status, settle.body]).toEqual([200, { settle_seconds: 12, quiet_hours: null }]);
    const quiet = await api().request("PUT", "/v1/notifications/settings", {
      quiet_hours: { start: "22:30", end: "07:00", time_zone: "europe/paris" },
    });
    // The zone is stored by its canonical name.
    const expected = { settle_seconds: 12, quiet_hours: { start: "22:30", end: "07:00", time_zone: "Europe/Paris" } };
    expect([quiet.status, quiet.body]).toEqual([200, expected]);
    expect(notificationSettingsSchema.safeParse(quiet.body).success).toBe(true);
    expect((await api().get("/v1/notifications/settings")).body).toEqual(expected);
    // The same PUT again: the same answer, still one row.
    const again = await api().request("PUT", "/v1/notifications/settings", {
      quiet_hours: { start: "22:30", end: "07:00", time_zone: "europe/paris" },
    });
    expect(again.body).toEqual(expected);
    expect(await prisma.notificationSettings.count()).toBe(1);
    // No zone given: UTC. null: quiet hours off.
    const utc = await api().request("PUT", "/v1/notifications/settings", {
      quiet_hours: { start: "01:00", end: "02:00" },
    });
    expect(utc.body.quiet_hours).toEqual({ start: "01:00", end: "02:00", time_zone: "UTC" });
    const off = await api().request("PUT", "/v1/notifications/settings", { quiet_hours: null });
    expect(off.body).toEqual({ settle_seconds: 12, quiet_hours: null });
    expect((await api().get("/v1/notifications/settings")).body).toEqual({ settle_seconds: 12, quiet_hours: null });
  });

  it.each([
    [{ settle_seconds: 3601 }, "settle_seconds: must be at most 3600"],
    [{ settle_seconds: -1 }, "settle_seconds: must be at least 0"],
    [{ quiet_hours: { start: "25:00", end: "07:00" } }, 'quiet_hours.start: must be a time "HH:MM" (24 h)'],
    [{ quiet_hours: { start: "22:00" } }, "quiet_hours.end: "],
    [
      { quiet_hours: { start: "22:00", end: "07:00", time_zone: "Mars/Olympus_Mons" } },
      "quiet_hours.time_zone: must be an IANA time zone",
    ],
    [{ quiet: true }, 'Unrecognized key: "quiet"'],
  ])("a bad PUT is a 400 naming the field and changes nothing: %j", async (body, message) => {
    const reply = await api().request("PUT", "/v1/notifications/settings", body);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain(message);
    expect((await api().get("/v1/notifications/settings")).body).toEqual({ settle_seconds: 12, quiet_hours: null });
  });

  it("a PUT without a body is a 400", async () => {
    const reply = await api().request("PUT", "/v1/notifications/settings");
    expect(reply.body).toEqual({ error: "invalid_request", message: "the body must be a JSON object" });
  });
});

/** Every route of this API, as a request a stranger could send. */
const ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: "GET", path: "/v1/notifications/channels" },
  {
    method: "POST",
    path: "/v1/notifications/channels",
    body: { name: "evil", type: "webhook", url: "https://evil.example/x" },
  },
  { method: "DELETE", path: "/v1/notifications/channels/ch_any" },
  { method: "POST", path: "/v1/notifications/test", body: {} },
  { method: "GET", path: "/v1/notifications/settings" },
  { method: "PUT", path: "/v1/notifications/settings", body: { settle_seconds: 0 } },
];

describe("who may call it", () => {
  it("with PULSE_TOKEN set, every route needs it (401), whatever its method", async () => {
    for (const { method, path, body } of ROUTES) {
      const reply = await client(stack.url).request(method, path, body);
      expect([method, path, reply.status, reply.body.error]).toEqual([method, path, 401, "unauthorized"]);
      const wrong = await client(stack.url, { authorization: "Bearer nope" }).request(method, path, body);
      expect([method, path, wrong.status]).toEqual([method, path, 401]);
    }
    expect(await prisma.notificationChannel.count({ where: { name: "evil" } })).toBe(0);
  });

  it("another site's page is refused on every route, a DELETE and a PUT like a POST, token or not", async () => {
    for (const target of [stack, openStack])
      for (const { method, path, body } of ROUTES)
        for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }] as Record<
          string,
          string
        >[]) {
          const reply = await client(target.url, { authorization: `Bearer ${TOKEN}`, ...headers }).request(
            method,
            path,
            body,
          );
          expect([method, path, headers, reply.status, reply.body.error]).toEqual([
            method,
            path,
            headers,
            403,
            "cross_site",
          ]);
        }
    expect(await prisma.notificationChannel.count({ where: { name: "evil" } })).toBe(0);
    expect((await api().get("/v1/notifications/settings")).body.settle_seconds).toBe(12);
  });

  it("without a token, a request addressed to another host name (DNS rebinding) is refused on every route", async () => {
    const { port } = new URL(openStack.url);
    for (const { method, path, body } of ROUTES) {
      const reply = await rawRequest(openStack.url, {
        method,
        target: path,
        headers: { host: `rebound.example:${port}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect([method, path, reply.status]).toEqual([method, path, 403]);
    }
    // Addressed to localhost, the same stack answers.
    expect((await client(openStack.url).get("/v1/notifications/channels")).status).toBe(200);
  });
});

describe("secrets", () => {
  it("no log line holds a channel's URL or token, whatever was answered", async () => {
    // A wrong request that carries the secrets (logged at debug as a 400) and a right one.
    await api().post("/v1/notifications/channels", { name: "n", type: "ntfy", url: NTFY_URL, token: NTFY_TOKEN, x: 1 });
    await api().post("/v1/notifications/channels", {
      name: "logged?",
      type: "webhook",
      url: SLACK_URL,
      token: NTFY_TOKEN,
    });
    await api().post("/v1/notifications/channels", {
      name: "logged?",
      type: "webhook",
      url: SLACK_URL,
      token: NTFY_TOKEN,
    });
    expect(logLines.length).toBeGreaterThan(10); // the capture works: Nest's route mapping, the 4xx answers
    expect(logLines.some((line) => line.includes("409") || line.includes("conflict"))).toBe(true);
    const leaks = logLines.filter((line) =>
      [SLACK_SECRET, "xoxbSlackPathSecret77", NTFY_TOKEN, "pulse-topic-secret-41", TOKEN].some((s) => line.includes(s)),
    );
    expect(leaks).toEqual([]);
  });
});
