import {
  buildEvent,
  type EventKind,
  eventInputSchema,
  mapEventInput,
  type NormalizedEvent,
  PAYLOAD_CAP_BYTES,
  reap,
} from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { Client } from "pg";
import { createTestEnv, type TestEnv } from "../../../test/env";
import { applyEventBatch } from "./apply-events";
import { closeSession } from "./close-session";
import { getSession, listSessionEvents, listSessions } from "./queries";
import { getStats } from "./stats";
import { reapStaleSessions } from "./reap-stale";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const MIN = 60_000;

let env: TestEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await createTestEnv("sessions");
  prisma = createPrismaClient(env.databaseUrl);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await env?.cleanup();
});

let seq = 0;
function event(session: string, kind: EventKind, time: number, extra: Record<string, unknown> = {}): NormalizedEvent {
  const input = eventInputSchema.parse({
    session_id: session,
    source: "test",
    kind,
    cwd: "/home/dev/acme-api",
    ...extra,
  });
  return buildEvent(
    input,
    mapEventInput(input),
    { key: (extra.id as string) ?? `k${++seq}`, receivedMs: NOW, stampedMs: time, host: "box" },
    extra.payload ?? input,
  );
}

const sessionOf = async (id: string) => (await getSession(prisma, id))!;

describe("applyEventBatch", () => {
  it("creates the session from its events, with event times, never the worker's clock", async () => {
    const result = await applyEventBatch(prisma, [
      event("a1", "start", NOW - 10 * MIN),
      event("a1", "prompt", NOW - 9 * MIN, { detail: "Fix the build" }),
    ]);
    expect(result).toMatchObject({ applied: 2, duplicates: 0 });
    expect(await sessionOf("a1")).toMatchObject({
      source: "test",
      project: "acme-api",
      host: "box",
      title: "Fix the build",
      status: "active",
      startedAt: NOW - 10 * MIN,
      lastEventAt: NOW - 9 * MIN,
      eventCount: 2,
    });
  });

  it("applies the same event once, within a batch and across batches", async () => {
    const first = event("dup", "tool", NOW - MIN, { id: "same" });
    const again = { ...first, received_at: new Date(NOW).toISOString() };
    const r1 = await applyEventBatch(prisma, [first, again]);
    const r2 = await applyEventBatch(prisma, [again]);
    expect([r1.applied, r2.applied, r2.duplicates, r2.sessions.length]).toEqual([1, 0, 1, 0]);
    expect((await sessionOf("dup")).eventCount).toBe(1);
    expect(await listSessionEvents(prisma, "dup")).toHaveLength(1);
  });

  it("an older event arriving late never overrides the status a newer one set", async () => {
    await applyEventBatch(prisma, [event("ooo", "tool", NOW - 1 * MIN)]);
    await applyEventBatch(prisma, [event("ooo", "turn_end", NOW - 2 * MIN)]);
    expect(await sessionOf("ooo")).toMatchObject({
      status: "active",
      startedAt: NOW - 2 * MIN,
      lastEventAt: NOW - 1 * MIN,
      eventCount: 2,
    });
  });

  it("an event newer than the end reopens the session; one at or before it changes nothing", async () => {
    await applyEventBatch(prisma, [
      event("re", "start", NOW - 5 * MIN),
      event("re", "end", NOW - 4 * MIN, { end_detail: "exit" }),
    ]);
    expect(await sessionOf("re")).toMatchObject({
      status: "ended",
      endReason: "session_end",
      endDetail: "exit",
      endedAt: NOW - 4 * MIN,
    });
    await applyEventBatch(prisma, [event("re", "tool", NOW - 4 * MIN)]);
    expect(await sessionOf("re")).toMatchObject({ status: "ended", reopenCount: 0, eventCount: 3 });
    await applyEventBatch(prisma, [event("re", "prompt", NOW - 3 * MIN)]);
    expect(await sessionOf("re")).toMatchObject({ status: "active", endReason: null, endedAt: null, reopenCount: 1 });
  });

  it("stores raw payloads, capped at 64 KiB and marked when cut", async () => {
    const big = { session_id: "pay", hook: "x", blob: "y".repeat(PAYLOAD_CAP_BYTES + 10) };
    await applyEventBatch(prisma, [
      event("pay", "tool", NOW, { payload: { small: true } }),
      event("pay", "tool", NOW, { payload: big }),
    ]);
    const rows = await prisma.event.findMany({ where: { sessionId: "pay" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.payloadTruncated)).toEqual([false, true]);
    expect(rows[0].payload).toEqual({ small: true });
    expect(typeof rows[1].payload).toBe("string");
    expect(Buffer.byteLength(rows[1].payload as string)).toBeLessThanOrEqual(PAYLOAD_CAP_BYTES);
  });

  it("concurrent batches over the same sessions neither deadlock nor lose or double-count events", async () => {
    const sessions = Array.from({ length: 40 }, (_, i) => `conc-${i}`);
    const batches = Array.from({ length: 12 }, (_, b) =>
      // Each batch touches every session, in a different order.
      [...sessions]
        .sort(() => Math.random() - 0.5)
        .map((s, i) => event(s, "tool", NOW - MIN + b * 100 + i, { id: `b${b}` })),
    );
    // Every batch is delivered twice, concurrently.
    await Promise.all([...batches, ...batches].map((batch) => applyEventBatch(prisma, batch)));
    const rows = await prisma.session.findMany({ where: { id: { startsWith: "conc-" } } });
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.eventCount === 12)).toBe(true);
  });
});

describe("/clear links", () => {
  it("links the new session to the one /clear ended even when both sides land at the same moment", async () => {
    for (let i = 0; i < 15; i++) {
      const cwd = `/home/dev/clear-race-${i}`;
      await applyEventBatch(prisma, [event(`old-${i}`, "start", NOW - 10 * MIN, { cwd })]);
      // Two workers apply the two sides concurrently.
      await Promise.all([
        applyEventBatch(prisma, [event(`old-${i}`, "end", NOW - MIN, { cwd, end_detail: "clear" })]),
        applyEventBatch(prisma, [event(`new-${i}`, "start", NOW - MIN + 5, { cwd, detail: "clear" })]),
      ]);
      expect([i, (await sessionOf(`new-${i}`)).parentSessionId]).toEqual([i, `old-${i}`]);
    }
  });

  it("does not link across folders, or to a session that did not end with /clear", async () => {
    await applyEventBatch(prisma, [
      event("other-old", "end", NOW - MIN, { cwd: "/a", end_detail: "clear" }),
      event("plain-old", "end", NOW - MIN, { cwd: "/b", end_detail: "exit" }),
    ]);
    await applyEventBatch(prisma, [event("other-new", "start", NOW - MIN + 5, { cwd: "/b", detail: "clear" })]);
    expect((await sessionOf("other-new")).parentSessionId).toBeNull();
  });
});

describe("reapStaleSessions", () => {
  it("ends silent sessions at their last event, bounded per call, and leaves live ones alone", async () => {
    const stale = ["st-1", "st-2", "st-3"];
    await applyEventBatch(prisma, [
      ...stale.map((s, i) => event(s, "turn_end", NOW - 30 * MIN - i * MIN)),
      event("fresh", "tool", NOW - 1 * MIN),
      event("quiet-but-ended", "end", NOW - 60 * MIN),
    ]);
    const cutoff = NOW - 5 * MIN;
    const before = await Promise.all(["st-1", "st-2", "st-3", "fresh"].map(sessionOf));
    // Two per call: the rest wait for the next calls.
    const calls: string[][] = [];
    for (
      let batch = await reapStaleSessions(prisma, { cutoffMs: cutoff, limit: 2 });
      batch.length > 0;
      batch = await reapStaleSessions(prisma, { cutoffMs: cutoff, limit: 2 })
    )
      calls.push(batch);
    expect(calls.every((batch) => batch.length <= 2)).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.flat()).toEqual(expect.arrayContaining(stale));
    expect(calls.flat()).not.toContain("fresh");
    // The one-statement sweep did to each session exactly what the lifecycle's `reap` does to one.
    for (const session of before) expect(await sessionOf(session.id)).toEqual(reap(session, cutoff) ?? session);
    expect(await sessionOf("st-1")).toMatchObject({
      status: "ended",
      endReason: "stale",
      endedAt: NOW - 30 * MIN,
      waitingReason: null,
    });
    expect((await sessionOf("fresh")).status).toBe("active");
    expect((await sessionOf("quiet-but-ended")).endReason).toBe("session_end");
  });

  it("skips a session whose events are being applied, so a newer event is never overtaken", async () => {
    await applyEventBatch(prisma, [event("race", "tool", NOW - 20 * MIN)]);
    // A worker is in the middle of applying a newer event: it holds the session's row lock.
    const worker = new Client({ connectionString: env.databaseUrl });
    await worker.connect();
    await worker.query("BEGIN");
    await worker.query("SELECT id FROM sessions WHERE id = 'race' FOR UPDATE");
    const reaped = await reapStaleSessions(prisma, { cutoffMs: NOW - 5 * MIN, limit: 100 });
    expect(reaped).not.toContain("race");
    await worker.query("UPDATE sessions SET last_event_at = $1, status_at = $1 WHERE id = 'race'", [new Date(NOW)]);
    await worker.query("COMMIT");
    await worker.end();
    expect(await reapStaleSessions(prisma, { cutoffMs: NOW - 5 * MIN, limit: 100 })).not.toContain("race");
    expect((await sessionOf("race")).status).toBe("active");
  });

  it("racing the worker for real, never leaves an ended session older than its last event", async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `rr-${i}`);
    await applyEventBatch(
      prisma,
      ids.map((id) => event(id, "tool", NOW - 10 * MIN)),
    );
    // Newer events land while sweeps run with a cutoff that makes every old session stale.
    await Promise.all([
      ...ids.map((id, i) => applyEventBatch(prisma, [event(id, "prompt", NOW + i)])),
      ...Array.from({ length: 6 }, () => reapStaleSessions(prisma, { cutoffMs: NOW - 5 * MIN, limit: 15 })),
    ]);
    const rows = await prisma.session.findMany({ where: { id: { startsWith: "rr-" } } });
    for (const row of rows) {
      // Either the sweep came first and the newer event reopened the session, or the event came
      // first and the session was no longer stale: active in both cases, never ended before its news.
      expect(row.status).toBe("active");
      expect(row.lastEventAt!.getTime()).toBeGreaterThanOrEqual(NOW);
    }
  });
});

describe("closeSession", () => {
  it("ends an open session at its last event and returns an ended one unchanged", async () => {
    await applyEventBatch(prisma, [event("cl", "start", NOW - 3 * MIN), event("cl", "turn_end", NOW - 2 * MIN)]);
    const closed = await closeSession(prisma, "cl");
    expect(closed).toMatchObject({
      changed: true,
      session: { status: "ended", endReason: "closed", endedAt: NOW - 2 * MIN },
    });
    expect(await closeSession(prisma, "cl")).toMatchObject({
      changed: false,
      session: { endReason: "closed", endedAt: NOW - 2 * MIN },
    });
    expect(await closeSession(prisma, "no-such-session")).toBeNull();
  });
});

describe("listSessions and getStats", () => {
  let db: PrismaClient;
  let scoped: TestEnv;
  beforeAll(async () => {
    scoped = await createTestEnv("list");
    db = createPrismaClient(scoped.databaseUrl);
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 25; i++) {
      events.push(
        event(`L${String(i).padStart(2, "0")}`, i % 5 === 0 ? "turn_end" : "tool", NOW - i * MIN, {
          project: i % 2 ? "odd" : "even",
          source: i < 20 ? "claude-code" : "codex",
          detail: i === 7 ? "Needle in a haystack" : undefined,
        }),
      );
    }
    events.push(event("L-ended", "start", NOW - 100 * MIN), event("L-ended", "end", NOW - 40 * MIN));
    events.push(event("L-old", "start", NOW - 50 * 3600_000), event("L-old", "end", NOW - 48 * 3600_000));
    events.push(event("L07", "prompt", NOW - 7 * MIN, { detail: "Needle in a haystack" }));
    await applyEventBatch(db, events);
    await reapStaleSessions(db, { cutoffMs: NOW - 22 * MIN, limit: 100 });
  });
  afterAll(async () => {
    await db.$disconnect();
    await scoped.cleanup();
  });

  it("pages through every session newest activity first, without repeats", async () => {
    const seen: string[] = [];
    let cursor: ReturnType<typeof JSON.parse> = undefined;
    do {
      const page = await listSessions(db, { limit: 7, cursor });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ? JSON.parse(Buffer.from(page.nextCursor, "base64url").toString()) : undefined;
      if (cursor) cursor = { lastEventAt: cursor[0], id: cursor[1] };
    } while (cursor);
    expect(seen).toHaveLength(27);
    expect(new Set(seen).size).toBe(27);
    expect(seen.slice(0, 3)).toEqual(["L00", "L01", "L02"]);
  });

  it("filters by status, project, source and free text", async () => {
    const ids = async (filter: Parameters<typeof listSessions>[1]) =>
      (await listSessions(db, filter)).items.map((s) => s.id);
    expect(await ids({ limit: 100, statuses: ["waiting"] })).toEqual(["L00", "L05", "L10", "L15", "L20"]);
    expect((await ids({ limit: 100, project: "odd" })).every((id) => Number(id.slice(1)) % 2 === 1)).toBe(true);
    expect(await ids({ limit: 100, source: "codex", statuses: ["ended"] })).toEqual(["L23", "L24"]);
    expect(await ids({ limit: 100, q: "NEEDLE" })).toEqual(["L07"]);
  });

  it("counts sessions by status, the stale ones and the mean duration over 24 h", async () => {
    const stats = await getStats(db, NOW);
    // Reaped: L23 and L24 (silent for more than 22 min); L-old ended 48 h ago.
    expect(stats).toMatchObject({ total: 27, ended: 4, waiting: 5, active: 18, stale_24h: 2 });
    // Ended in 24 h: L-ended (60 min) and the two stale sessions (one event each: 0 ms).
    expect(stats.avg_duration_ms_24h).toBe(Math.round((60 * MIN) / 3));
  });
});
