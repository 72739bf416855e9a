import { createECDH, createPublicKey, randomBytes, verify } from "node:crypto";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { deliverNotificationJob, QUEUE_NAMES } from "@pulse/queues";
import { deleteChannel } from "@pulse/sessions";
import { notificationPayloadSchema } from "@pulse/core/api";
import { Queue } from "bullmq";
import { decrypt } from "http_ece";
import { Redis } from "ioredis";
import pino from "pino";
import { client } from "../../../test/http";
import { startReceiver, type Receiver } from "../../../test/notify-receiver";
import { startStack, type TestStack } from "../../../test/stack";
import { waitFor } from "../../../test/env";

// The notification delivery engine end to end in one process: events through ingest, the sweep and
// the delivery worker of the real reaper, a real local HTTP receiver (docs/notifications.md).

let stack: TestStack;
let prisma: PrismaClient;
let api: ReturnType<typeof client>;
let receiver: Receiver;
const logs: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: "debug" }, { write: (line: string) => logs.push(line) });
  stack = await startStack({
    label: "notify",
    logger,
    env: { SESSION_STALE_TIMEOUT_MINUTES: "1000", PULSE_DASHBOARD_URL: "http://dash.test:3000/" },
  });
  prisma = createPrismaClient(stack.env.databaseUrl);
  api = client(stack.url);
});
afterAll(async () => {
  await prisma.$disconnect();
  await stack.stop();
});
let seq = 0;
/** Each test's own project: waits of earlier tests go on (nothing ends them), and a channel notifies every open wait. */
let project: string;
beforeEach(async () => {
  receiver = await startReceiver();
  project = `proj-${++seq}`;
});
/** Channels (and their deliveries) are per test, removed the way the API does it: the worker may be writing outcomes. */
async function removeChannels() {
  for (const { id } of await prisma.notificationChannel.findMany({ select: { id: true } }))
    await deleteChannel(prisma, id);
}
afterEach(async () => {
  // Sessions ids are per test too.
  await removeChannels();
  await prisma.notificationSettings.deleteMany();
  await receiver.close();
});

async function channel(fields: Record<string, unknown> = {}) {
  const id = `ch_test${++seq}`;
  return prisma.notificationChannel.create({
    data: {
      id,
      name: `channel ${seq}`,
      type: "webhook",
      url: `${receiver.url}/hook/${id}`,
      projects: [project],
      ...fields,
    },
  });
}

async function post(event: Record<string, unknown>) {
  const reply = await api.post("/v1/events", { source: "claude-code", project, host: "devbox", ...event });
  expect(reply.status).toBe(202);
}
const wait = (session: string, extra: Record<string, unknown> = {}) =>
  post({
    session_id: session,
    kind: "attention",
    waiting_reason: "permission",
    tool: "Bash",
    detail: "rm -rf build",
    ...extra,
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const forSession = (id: string) => receiver.received.filter((r) => r.body?.session?.id === id);

describe("notifications", () => {
  it("a wait lasting past its settle time is delivered once, as the documented JSON; the same wait going on is not sent again", async () => {
    const ch = await channel({ settleSeconds: 1, token: "tok-s3cret" });
    const sent = Date.now();
    await wait("n-settled");
    const [first] = await waitFor(() => (forSession("n-settled").length > 0 ? forSession("n-settled") : undefined), {
      what: "the delivery",
    });
    // Not before the settle time.
    expect(first.at - sent).toBeGreaterThanOrEqual(1000);
    const body = notificationPayloadSchema.parse(first.body);
    expect(body).toMatchObject({
      type: "session.waiting",
      reason: "permission",
      url: "http://dash.test:3000/sessions/n-settled",
      session: {
        id: "n-settled",
        status: "waiting",
        waiting_reason: "permission",
        waiting_detail: "Bash: rm -rf build",
      },
    });
    expect(body.waiting_since).toBe(body.session!.waiting_since);
    expect(first.path).toBe(`/hook/${ch.id}`);
    expect(first.headers).toMatchObject({
      "idempotency-key": body.delivery_id,
      authorization: "Bearer tok-s3cret",
      "user-agent": "pulse",
      "content-type": "application/json",
    });
    // The same reason again goes on with the wait (lifecycle rule 14): nothing new to say.
    await wait("n-settled", { detail: "rm -rf build (again)" });
    await sleep(2500);
    expect(forSession("n-settled")).toHaveLength(1);
    const row = await prisma.notificationDelivery.findUniqueOrThrow({ where: { id: body.delivery_id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 1, type: "waiting", sessionId: "n-settled" });
    const after = await prisma.notificationChannel.findUniqueOrThrow({ where: { id: ch.id } });
    expect(after).toMatchObject({ lastOutcome: "delivered", failingSince: null, consecutiveFailures: 0 });
    expect(after.lastDeliveredAt).not.toBeNull();
  });

  it("a wait answered within the settle time is never sent", async () => {
    await channel({ settleSeconds: 2 });
    await wait("n-quick");
    await sleep(300);
    await post({ session_id: "n-quick", kind: "tool", tool: "Bash" });
    await sleep(3500);
    expect(forSession("n-quick")).toHaveLength(0);
    expect(await prisma.notificationDelivery.count()).toBe(0);
  });

  it("a new wait of the same session (another reason) is a new notification", async () => {
    await channel({ settleSeconds: 0 });
    await wait("n-two");
    await waitFor(() => forSession("n-two").length === 1, { what: "first" });
    await wait("n-two", { waiting_reason: "question", tool: null, detail: "Which branch?" });
    await waitFor(() => forSession("n-two").length === 2, { what: "second" });
    const [a, b] = forSession("n-two");
    expect(a.body.delivery_id).not.toBe(b.body.delivery_id);
    expect(b.body).toMatchObject({ reason: "question", session: { waiting_detail: "Which branch?" } });
  });

  it("only the reasons, projects and agents a channel names notify; a channel without its own settle time takes the settings'", async () => {
    await prisma.notificationSettings.create({ data: { id: 1, settleSeconds: 1 } });
    await channel({ reasons: ["question", "error"], projects: ["alpha"], agents: ["codex"] });
    const t = Date.now();
    await wait("r-match", { project: "alpha", source: "codex", waiting_reason: "question" });
    await wait("r-reason", { project: "alpha", source: "codex", waiting_reason: "permission" });
    await wait("r-project", { project: "beta", source: "codex", waiting_reason: "question" });
    await wait("r-agent", { project: "alpha", source: "claude-code", waiting_reason: "error" });
    await waitFor(() => forSession("r-match").length === 1, { what: "the matching wait" });
    expect(forSession("r-match")[0].at - t).toBeGreaterThanOrEqual(1000);
    await sleep(2000);
    expect(receiver.received.map((r) => r.body.session.id)).toEqual(["r-match"]);
  });

  it("nothing is sent during quiet hours (in their time zone); a wait still open when they end is sent then", async () => {
    // Quiet for the whole of the current hour in Kolkata (UTC+5:30): the range is read there.
    const local = new Date(Date.now() + 5.5 * 3_600_000);
    const hh = (h: number) => String((h + 24) % 24).padStart(2, "0");
    await prisma.notificationSettings.create({
      data: {
        id: 1,
        settleSeconds: 0,
        quietStart: `${hh(local.getUTCHours())}:00`,
        quietEnd: `${hh(local.getUTCHours() + 1)}:00`,
        quietTimeZone: "Asia/Kolkata",
      },
    });
    await channel();
    await wait("q-held");
    await sleep(2500);
    expect(forSession("q-held")).toHaveLength(0);
    await prisma.notificationSettings.update({ where: { id: 1 }, data: { quietStart: null, quietEnd: null } });
    await waitFor(() => forSession("q-held").length === 1, { what: "the wait, after the quiet hours" });
  });

  it("sends a resolved follow-up once when a notified wait ends, and an idle reminder once for a long wait", async () => {
    await channel({ settleSeconds: 0, notifyResolved: true });
    await wait("f-resolved");
    await waitFor(() => forSession("f-resolved").length === 1, { what: "the wait" });
    await post({ session_id: "f-resolved", kind: "tool", tool: "Bash" });
    await waitFor(() => forSession("f-resolved").length === 2, { what: "the follow-up" });
    await post({ session_id: "f-resolved", kind: "tool", tool: "Read" });
    await sleep(2500);
    const [waiting, resolved] = forSession("f-resolved");
    expect(forSession("f-resolved")).toHaveLength(2);
    expect(notificationPayloadSchema.parse(resolved.body)).toMatchObject({
      type: "session.resolved",
      waiting_since: waiting.body.waiting_since,
      session: { status: "active" },
    });

    // A finished turn is no news for the default reasons, but a wait of 2 minutes is, with idle_minutes 1.
    await removeChannels();
    await channel({ idleMinutes: 1 });
    await post({ session_id: "f-idle", kind: "turn_end", time: new Date(Date.now() - 120_000).toISOString() });
    await waitFor(() => forSession("f-idle").length === 1, { what: "the reminder" });
    await post({ session_id: "f-idle", kind: "attention", waiting_reason: "idle" });
    await sleep(2500);
    expect(forSession("f-idle")).toHaveLength(1);
    expect(forSession("f-idle")[0].body).toMatchObject({ type: "session.idle", reason: "turn_end" });
  });

  it("delivers a test row (no session) queued as the API queues it", async () => {
    const ch = await channel({ type: "slack" });
    await prisma.notificationDelivery.create({ data: { id: "nt_test1", channelId: ch.id, type: "test" } });
    const queue = new Queue(QUEUE_NAMES.notifications, {
      connection: new Redis(stack.env.redisUrl, { maxRetriesPerRequest: null }),
      prefix: stack.env.redisPrefix,
    });
    await queue.add(
      deliverNotificationJob.name,
      { delivery_id: "nt_test1" },
      { ...deliverNotificationJob.options, jobId: "nt_test1" },
    );
    const [got] = await waitFor(() => (receiver.received.length ? receiver.received : undefined), { what: "the test" });
    expect(got.body.text).toBe("Pulse test notification: this channel works");
    expect(got.headers["idempotency-key"]).toBe("nt_test1");
    await waitFor(
      async () => (await prisma.notificationDelivery.findUnique({ where: { id: "nt_test1" } }))?.status === "delivered",
      {
        what: "the row delivered",
      },
    );
    await queue.close();
    (await queue.client).disconnect();
  });

  it("a pending row whose job was lost (a crash between the row and its job) is queued again and delivered", async () => {
    // A settle time of an hour: the sweep records nothing for it itself.
    const ch = await channel({ settleSeconds: 3600 });
    await wait("l-lost");
    const waiting = await waitFor(
      () => prisma.session.findUnique({ where: { id: "l-lost" } }).then((s) => s ?? undefined),
      {
        what: "the wait applied",
      },
    );
    // As the sweep records a row, but 40 s ago and never queued.
    const old = new Date(Date.now() - 40_000);
    await prisma.notificationDelivery.create({
      data: {
        id: "nd_lost1",
        channelId: ch.id,
        sessionId: "l-lost",
        type: "waiting",
        waitStart: waiting.waitingSince,
        createdAt: old,
        updatedAt: old,
      },
    });
    const [got] = await waitFor(() => (forSession("l-lost").length ? forSession("l-lost") : undefined), {
      what: "the lost delivery",
    });
    expect(got.body.delivery_id).toBe("nd_lost1");
    await sleep(1500);
    expect(forSession("l-lost")).toHaveLength(1);

    // A channel disabled since its row was recorded is sent nothing (tests only).
    const off = await channel({ settleSeconds: 3600, enabled: false });
    await prisma.notificationDelivery.create({
      data: {
        id: "nd_lost2",
        channelId: off.id,
        sessionId: "l-lost",
        type: "waiting",
        waitStart: waiting.waitingSince,
        createdAt: old,
        updatedAt: old,
      },
    });
    const skipped = await waitFor(
      async () => {
        const r = await prisma.notificationDelivery.findUnique({ where: { id: "nd_lost2" } });
        return r?.status === "failed" ? r : undefined;
      },
      { what: "the disabled channel's row" },
    );
    expect(skipped.lastError).toBe("the channel was disabled before it was sent");
    expect(forSession("l-lost")).toHaveLength(1);
    expect((await prisma.notificationChannel.findUniqueOrThrow({ where: { id: off.id } })).lastOutcome).toBeNull();
  });

  it("Web Push: the push service gets the message encrypted for the subscription (RFC 8291) and signed with Pulse's VAPID key (RFC 8292)", async () => {
    // A subscription as a browser makes one: a P-256 key pair and a 16-byte auth secret.
    const browser = createECDH("prime256v1");
    browser.generateKeys();
    const auth = randomBytes(16);
    await channel({
      type: "webpush",
      url: `${receiver.url}/push/subscription-1`,
      settleSeconds: 0,
      pushKeys: { p256dh: browser.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
    });
    await wait("p-push");
    const [got] = await waitFor(() => (receiver.received.length ? receiver.received : undefined), { what: "the push" });
    expect(got.path).toBe("/push/subscription-1");
    expect(got.headers).toMatchObject({ "content-encoding": "aes128gcm", ttl: "86400", urgency: "high" });
    expect(got.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const message = JSON.parse(
      decrypt(got.raw, { version: "aes128gcm", privateKey: browser, authSecret: auth }).toString(),
    );
    expect(message).toMatchObject({
      type: "session.waiting",
      title: `${project} needs a permission`,
      url: "http://dash.test:3000/sessions/p-push",
    });
    expect(message.body).toContain("Bash: rm -rf build");
    // VAPID: "vapid t=<JWT>, k=<public key>", the JWT signed ES256 for the push service's origin.
    const [, jwt, k] = /^vapid t=([^,]+), k=(.+)$/.exec(String(got.headers.authorization))!;
    const [header, claims, signature] = jwt.split(".");
    const pub = Buffer.from(k, "base64url");
    const key = createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: pub.subarray(1, 33).toString("base64url"),
        y: pub.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
    const signed = Buffer.from(`${header}.${claims}`);
    expect(verify("sha256", signed, { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"))).toBe(
      true,
    );
    const claim = JSON.parse(Buffer.from(claims, "base64url").toString());
    expect(claim).toMatchObject({ aud: receiver.url, sub: "mailto:pulse@localhost" });
    expect(claim.exp * 1000).toBeGreaterThan(Date.now());
    // The pair is kept in the settings (the dashboard subscribes browsers with its public key).
    const settings = await prisma.notificationSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(settings.vapidPublicKey).toBe(k);
    await waitFor(
      async () =>
        (await prisma.notificationDelivery.findFirst({ where: { sessionId: "p-push" } }))?.status === "delivered",
      {
        what: "the row delivered",
      },
    );
  });

  it("a receiver answering 500 is retried with growing gaps, then the row fails and the channel shows failing, without its secrets", async () => {
    receiver.setAnswer(() => 500);
    const ch = await channel({ settleSeconds: 0, token: "tok-n0t-l0gged", url: `${receiver.url}/hook/SECRETPATH123` });
    await wait("x-failing");
    const attempts = deliverNotificationJob.options.attempts;
    await waitFor(() => forSession("x-failing").length === attempts, {
      what: "every attempt",
      timeoutMs: 200_000,
      intervalMs: 500,
    });
    const row = await waitFor(
      async () => {
        const r = await prisma.notificationDelivery.findFirst({ where: { sessionId: "x-failing" } });
        return r?.status === "failed" ? r : undefined;
      },
      { what: "the row failed" },
    );
    const times = forSession("x-failing").map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    process.stdout.write(`\nFIGURES notify-retries: gaps_ms=${gaps.join(",")}\n`);
    // Exponential backoff of 1 s: 1, 2, 4 … s between attempts (BullMQ adds its own scheduling delay).
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(1000 * 2 ** i - 50);
      expect(gap).toBeLessThan(1000 * 2 ** i + 3000);
    });
    expect(new Set(forSession("x-failing").map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(row.attempts).toBe(attempts);
    expect(row.lastError).toMatch(/^HTTP 500 Internal Server Error: receiver says no to /);
    const after = await prisma.notificationChannel.findUniqueOrThrow({ where: { id: ch.id } });
    expect(after).toMatchObject({ lastOutcome: "failed", consecutiveFailures: attempts });
    expect(after.failingSince).not.toBeNull();
    expect(after.lastError).toBe(row.lastError);
    for (const text of [row.lastError!, after.lastError!, logs.join("\n")]) {
      expect(text).not.toContain("SECRETPATH123");
      expect(text).not.toContain("tok-n0t-l0gged");
    }
    expect(logs.join("\n")).toContain(ch.id);
  }, 240_000);
});
