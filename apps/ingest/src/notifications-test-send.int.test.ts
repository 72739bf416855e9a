/**
 * Issue 12, `POST /v1/notifications/test`: a test delivery per channel, sent by the reaper's real
 * delivery worker to a real local receiver, answered with how each went — delivered, failed with
 * the receiver's error (its secrets cut out), or pending when the receiver does not answer in time.
 */
import { notificationPayloadSchema, notificationTestResultSchema } from "@pulse/core/api";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import pino from "pino";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { type Receiver, startReceiver } from "../../../test/notify-receiver";
import { startStack, type TestStack } from "../../../test/stack";

const TOKEN = "test-send-api-token";
const CHANNEL_TOKEN = "channelBearerSecret-5566";
const logLines: string[] = [];
let stack: TestStack;
let prisma: PrismaClient;
let receiver: Receiver;
const api = () => client(stack.url, { authorization: `Bearer ${TOKEN}` });

/** Paths that are each channel's secret; the receiver answers by the path. */
const OK_PATH = "/hooks/okPathSecret-0001";
const BROKEN_PATH = "/hooks/brokenPathSecret-0002";
const SLOW_PATH = "/hooks/slowPathSecret-0003";

beforeAll(async () => {
  const logger = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
  stack = await startStack({ label: "notiftest", env: { PULSE_TOKEN: TOKEN }, logger });
  prisma = createPrismaClient(stack.env.databaseUrl);
  receiver = await startReceiver(async (request) => {
    if (request.path === BROKEN_PATH) return 500;
    // Longer than the test waits (8 s), shorter than the worker's send timeout (10 s).
    if (request.path === SLOW_PATH) await new Promise((resolve) => setTimeout(resolve, 9_000));
    return 204;
  });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await stack?.stop();
  await receiver?.close();
});

async function addChannel(body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const reply = await api().post("/v1/notifications/channels", { type: "webhook", ...body });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe("POST /v1/notifications/test", () => {
  let ok: { id: string; name: string };
  let broken: { id: string; name: string };

  beforeAll(async () => {
    ok = await addChannel({ name: "ok", url: receiver.url + OK_PATH, token: CHANNEL_TOKEN });
    broken = await addChannel({ name: "broken", url: receiver.url + BROKEN_PATH });
    await addChannel({ name: "off", url: receiver.url + OK_PATH, enabled: false });
  });

  it("sends one test to every enabled channel and answers how each went", async () => {
    const reply = await api().request("POST", "/v1/notifications/test"); // no body: every channel
    expect(reply.status).toBe(200);
    expect(notificationTestResultSchema.safeParse(reply.body).success).toBe(true);
    expect(reply.body.results).toEqual([
      { channel: ok.id, name: "ok", status: "delivered", error: null },
      {
        channel: broken.id,
        name: "broken",
        status: "failed",
        error: "HTTP 500 Internal Server Error: receiver says no to [redacted]",
      },
    ]);
    // Exactly one request each; the disabled channel got none.
    expect(receiver.received.map((r) => r.path)).toEqual(expect.arrayContaining([OK_PATH, BROKEN_PATH]));
    expect(receiver.received).toHaveLength(2);
    const sent = receiver.received.find((r) => r.path === OK_PATH)!;
    expect(notificationPayloadSchema.safeParse(sent.body).success).toBe(true);
    expect(sent.body).toMatchObject({ type: "test", session: null, reason: null, waiting_since: null });
    expect(sent.body.delivery_id).toMatch(new RegExp(`^test:${ok.id}:[0-9a-z]{12}$`));
    expect(sent.headers).toMatchObject({
      authorization: `Bearer ${CHANNEL_TOKEN}`,
      "idempotency-key": sent.body.delivery_id,
      "content-type": "application/json",
    });
    // The rows: one test delivery per channel, no session, no wait.
    const rows = await prisma.notificationDelivery.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.channelId, r.type, r.sessionId, r.waitStart, r.status])).toEqual(
      expect.arrayContaining([
        [ok.id, "test", null, null, "delivered"],
        [broken.id, "test", null, null, "failed"],
      ]),
    );
    expect(rows).toHaveLength(2);
    // The channels show it.
    const channels = (await api().get("/v1/notifications/channels")).body.channels;
    expect(channels.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ["ok", "ok"],
      ["broken", "failing"],
      ["off", "untested"],
    ]);
  });

  it("{channel} picks one by name or id, a disabled one too; each test is a new delivery", async () => {
    const before = receiver.received.length;
    const byName = await api().post("/v1/notifications/test", { channel: "off" });
    expect(byName.body.results).toEqual([
      { channel: expect.any(String), name: "off", status: "delivered", error: null },
    ]);
    const byId = await api().post("/v1/notifications/test", { channel: ok.id });
    expect(byId.body.results).toEqual([{ channel: ok.id, name: "ok", status: "delivered", error: null }]);
    const again = await api().post("/v1/notifications/test", { channel: ok.id });
    expect(again.body.results[0].status).toBe("delivered");
    expect(receiver.received.length - before).toBe(3);
    expect(await prisma.notificationDelivery.count({ where: { channelId: ok.id } })).toBe(3);
  });

  it("answers pending after about 8 s when a receiver has not answered; the delivery goes on", async () => {
    const slow = await addChannel({ name: "slow", url: receiver.url + SLOW_PATH });
    const started = Date.now();
    const reply = await api().post("/v1/notifications/test", { channel: "slow" });
    const took = Date.now() - started;
    expect(reply.body.results).toEqual([
      {
        channel: slow.id,
        name: "slow",
        status: "pending",
        error: "no answer yet; the delivery goes on in the background",
      },
    ]);
    expect(took).toBeGreaterThanOrEqual(7_900);
    expect(took).toBeLessThan(9_500);
    // The receiver answers at 9 s: the row is delivered then.
    await waitFor(
      async () =>
        (await prisma.notificationDelivery.findFirst({ where: { channelId: slow.id } }))?.status === "delivered" ||
        undefined,
      { what: "the slow delivery" },
    );
  }, 30_000);

  it("no log line of ingest or the worker holds a channel's URL path or token", () => {
    expect(logLines.some((line) => line.includes("delivery failed"))).toBe(true); // the worker's logs are captured
    const leaks = logLines.filter((line) =>
      ["okPathSecret", "brokenPathSecret", "slowPathSecret", CHANNEL_TOKEN].some((secret) => line.includes(secret)),
    );
    expect(leaks).toEqual([]);
  });
});
