import { buildEvent, type EventKind, eventInputSchema, mapEventInput } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { createTestEnv, type TestEnv } from "../../../../test/env";
import { applyEventBatch } from "../apply-events";
import { claimDelivery, recordDelivered, recordFailure } from "./deliveries";
import {
  readNotifySettings,
  recordDueWaits,
  recordIdleWaits,
  recordResolvedWaits,
  touchLostDeliveries,
} from "./due-deliveries";

// The sweep's finds against Postgres, with a clock of the test's own: which waits each rule picks, at
// which moment, once. (End to end through ingest and the worker: apps/reaper/src/notifications.int.test.ts.)

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const S = 1000;

let env: TestEnv;
let prisma: PrismaClient;
beforeAll(async () => {
  env = await createTestEnv("due");
  prisma = createPrismaClient(env.databaseUrl);
});
afterAll(async () => {
  await prisma.$disconnect();
  await env.cleanup();
});
beforeEach(async () => {
  await prisma.notificationChannel.deleteMany();
  await prisma.notificationSettings.deleteMany();
  await prisma.event.deleteMany();
  await prisma.session.deleteMany();
});

let seq = 0;
async function event(session: string, kind: EventKind, time: number, extra: Record<string, unknown> = {}) {
  const input = eventInputSchema.parse({
    session_id: session,
    source: "claude-code",
    project: "p",
    kind,
    time,
    ...extra,
  });
  await applyEventBatch(prisma, [
    buildEvent(input, mapEventInput(input), { key: `k${++seq}`, receivedMs: time, stampedMs: time, host: null }, input),
  ]);
}
const waitOn = (session: string, time: number, extra: Record<string, unknown> = {}) =>
  event(session, "attention", time, { waiting_reason: "permission", ...extra });
const channel = (id: string, fields: Record<string, unknown> = {}) =>
  prisma.notificationChannel.create({
    data: { id, name: id, type: "webhook", url: "http://127.0.0.1:9/x", ...fields },
  });
const due = (nowMs: number, settleSeconds = 5, limit = 100) => recordDueWaits(prisma, { nowMs, settleSeconds, limit });
const rows = () =>
  prisma.notificationDelivery.findMany({ orderBy: [{ sessionId: "asc" }, { channelId: "asc" }, { type: "asc" }] });

describe("waits to notify", () => {
  it("become due at their settle time (the channel's, else the settings'), once each", async () => {
    await channel("a"); // settings' settle
    await channel("b", { settleSeconds: 20 });
    await waitOn("s1", T0);
    expect(await due(T0 + 5 * S - 1, 5)).toEqual([]);
    const first = await due(T0 + 5 * S, 5);
    expect(first).toHaveLength(1);
    expect(await due(T0 + 19 * S, 5)).toEqual([]);
    expect(await due(T0 + 20 * S, 5)).toHaveLength(1);
    expect(await due(T0 + 3600 * S, 5)).toEqual([]);
    const recorded = await rows();
    expect(recorded.map((r) => [r.channelId, r.sessionId, r.type, r.status, r.waitStart?.getTime()])).toEqual([
      ["a", "s1", "waiting", "pending", T0],
      ["b", "s1", "waiting", "pending", T0],
    ]);
    expect(recorded[0].id).toBe(first[0]);
    expect(first[0]).toMatch(/^nd_[0-9a-f]{40}$/);
  });

  it("a wait going on (same reason) is the same wait; another reason is a new one", async () => {
    await channel("a", { settleSeconds: 0 });
    await waitOn("s1", T0);
    expect(await due(T0)).toHaveLength(1);
    await waitOn("s1", T0 + 6 * S);
    expect(await due(T0 + 10 * S)).toEqual([]);
    await waitOn("s1", T0 + 12 * S, { waiting_reason: "question" });
    expect(await due(T0 + 12 * S)).toHaveLength(1);
    expect((await rows()).map((r) => r.waitStart?.getTime())).toEqual([T0, T0 + 12 * S]);
  });

  it("match the channel's reasons, projects and agents (empty: all), enabled channels only, open waits only", async () => {
    await channel("scoped", { reasons: ["question"], projects: ["alpha"], agents: ["codex"], settleSeconds: 0 });
    await channel("all", { reasons: ["question", "permission"], settleSeconds: 0 });
    await channel("off", { enabled: false, settleSeconds: 0 });
    await waitOn("match", T0, { waiting_reason: "question", project: "alpha", source: "codex" });
    await waitOn("other-agent", T0, { waiting_reason: "question", project: "alpha", source: "gemini" });
    await waitOn("other-project", T0, { waiting_reason: "question", project: "beta", source: "codex" });
    await waitOn("other-reason", T0, { waiting_reason: "error", project: "alpha", source: "codex" });
    await waitOn("answered", T0);
    await event("answered", "tool", T0 + S);
    await event("turn", "turn_end", T0);
    await due(T0 + 60 * S);
    expect((await rows()).map((r) => `${r.channelId}:${r.sessionId}`)).toEqual([
      "all:match",
      "scoped:match",
      "all:other-agent",
      "all:other-project",
    ]);
  });

  it("are recorded at most `limit` a call, oldest wait first", async () => {
    await channel("a", { settleSeconds: 0 });
    for (let i = 0; i < 5; i++) await waitOn(`s${i}`, T0 + (5 - i) * S);
    expect(await due(T0 + 60 * S, 5, 2)).toHaveLength(2);
    expect((await rows()).map((r) => r.sessionId).sort()).toEqual(["s3", "s4"]);
    expect(await due(T0 + 60 * S, 5, 100)).toHaveLength(3);
  });
});

describe("follow-ups and reminders", () => {
  it("resolved: once, for a delivered wait the session has left; not for one still going or never delivered", async () => {
    await channel("r", { settleSeconds: 0, notifyResolved: true });
    await channel("plain", { settleSeconds: 0 });
    await waitOn("done", T0);
    await waitOn("going", T0);
    await waitOn("undelivered", T0);
    const ids = await due(T0);
    for (const row of await rows())
      if (row.sessionId !== "undelivered") {
        expect((await claimDelivery(prisma, row.id, 15_000)).kind).toBe("claimed");
        await recordDelivered(prisma, row.id);
      }
    expect(ids).toHaveLength(6);
    const opts = { nowMs: T0 + 10 * S, settleSeconds: 5, limit: 100 };
    expect(await recordResolvedWaits(prisma, opts)).toEqual([]);
    await event("done", "tool", T0 + 2 * S);
    await event("undelivered", "tool", T0 + 2 * S);
    expect(await recordResolvedWaits(prisma, opts)).toHaveLength(1);
    expect(await recordResolvedWaits(prisma, opts)).toEqual([]);
    const resolved = (await rows()).filter((r) => r.type === "resolved");
    expect(resolved.map((r) => [r.channelId, r.sessionId, r.waitStart?.getTime()])).toEqual([["r", "done", T0]]);
  });

  it("idle: once per wait, any reason, after idle_minutes", async () => {
    await channel("i", { idleMinutes: 10, reasons: ["question"] });
    await event("idle", "turn_end", T0);
    const opts = (nowMs: number) => ({ nowMs, settleSeconds: 5, limit: 100 });
    expect(await recordIdleWaits(prisma, opts(T0 + 10 * 60 * S - 1))).toEqual([]);
    expect(await recordIdleWaits(prisma, opts(T0 + 10 * 60 * S))).toHaveLength(1);
    expect(await recordIdleWaits(prisma, opts(T0 + 60 * 60 * S))).toEqual([]);
    expect(await due(T0 + 60 * 60 * S)).toEqual([]);
  });
});

describe("the rest of the sweep", () => {
  it("settings: defaults without a row; quiet hours only when both ends are set", async () => {
    expect(await readNotifySettings(prisma)).toEqual({ settleSeconds: 5, quietHours: null });
    await prisma.notificationSettings.create({
      data: { id: 1, settleSeconds: 2, quietStart: "22:00", quietEnd: "07:00" },
    });
    expect(await readNotifySettings(prisma)).toEqual({
      settleSeconds: 2,
      quietHours: { start: "22:00", end: "07:00", timeZone: "UTC" },
    });
  });

  it("a pending row nobody holds, untouched for 30 s, is handed back once per 30 s; a claimed, delivered or fresh one is not", async () => {
    await channel("a", { settleSeconds: 0 });
    for (const s of ["lost", "held", "sent", "fresh"]) await waitOn(s, T0);
    await due(T0);
    const byId = Object.fromEntries((await rows()).map((r) => [r.sessionId, r.id]));
    await prisma.notificationDelivery.updateMany({
      where: { sessionId: { in: ["lost", "held", "sent"] } },
      data: { updatedAt: new Date(Date.now() - 60_000) },
    });
    await prisma.$executeRaw`UPDATE notification_deliveries SET claimed_until = now() + interval '10 seconds' WHERE session_id = 'held'`;
    await prisma.$executeRaw`UPDATE notification_deliveries SET status = 'delivered' WHERE session_id = 'sent'`;
    expect(await touchLostDeliveries(prisma, 100)).toEqual([byId.lost]);
    expect(await touchLostDeliveries(prisma, 100)).toEqual([]);
  });

  it("claims: one holder at a time; a failure gives the claim back and counts on the channel; the last one fails the row", async () => {
    await channel("a", { settleSeconds: 0 });
    await waitOn("s", T0);
    const [id] = await due(T0);
    const claim = await claimDelivery(prisma, id, 15_000);
    expect(claim).toMatchObject({ kind: "claimed", delivery: { attempts: 1, type: "waiting", session: { id: "s" } } });
    const held = await claimDelivery(prisma, id, 15_000);
    expect(held.kind).toBe("held");
    expect(held.kind === "held" && held.remainingMs).toBeGreaterThan(14_000);
    await recordFailure(prisma, id, "HTTP 500", false);
    expect(await claimDelivery(prisma, id, 15_000)).toMatchObject({ kind: "claimed", delivery: { attempts: 2 } });
    await recordFailure(prisma, id, "HTTP 502", true);
    expect(await claimDelivery(prisma, id, 15_000)).toEqual({ kind: "finished", status: "failed" });
    expect(await claimDelivery(prisma, "nd_nope", 15_000)).toEqual({ kind: "missing" });
    const ch = await prisma.notificationChannel.findUniqueOrThrow({ where: { id: "a" } });
    expect(ch).toMatchObject({ lastOutcome: "failed", lastError: "HTTP 502", consecutiveFailures: 2 });
    expect(ch.failingSince).not.toBeNull();
    // A later success clears the failing state.
    await waitOn("s2", T0);
    const [next] = await due(T0);
    await claimDelivery(prisma, next, 15_000);
    await recordDelivered(prisma, next);
    expect(await prisma.notificationChannel.findUniqueOrThrow({ where: { id: "a" } })).toMatchObject({
      lastOutcome: "delivered",
      failingSince: null,
      consecutiveFailures: 0,
    });
  });
});
