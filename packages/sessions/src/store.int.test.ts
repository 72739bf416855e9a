import { buildEvent, type EventKind, eventInputSchema, mapEventInput, type NormalizedEvent } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { lastChangeId, readChangesAfter } from "@pulse/queues/session-changes";
import { Redis } from "ioredis";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { getSession } from "./queries";
import { createSessionStore, type SessionStore } from "./store";

const NOW = Date.now();
const MIN = 60_000;

let env: TestEnv;
let prisma: PrismaClient;
let publisher: Redis;
let changesKey: string;
/** The stream's newest entry when the test last forgot what it had heard. */
let position: string;
let warnings: Array<[object, string]>;
let store: SessionStore;

interface Heard {
  id: string;
  status: string;
  end_reason: string | null;
}

beforeAll(async () => {
  env = await createTestEnv("store");
  prisma = createPrismaClient(env.databaseUrl);
  changesKey = `${env.redisPrefix}:session-changes`;
  publisher = new Redis(env.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await waitFor(() => publisher.status === "ready", { what: "the publisher connected" });
});
afterAll(async () => {
  publisher?.disconnect();
  await prisma?.$disconnect();
  await env?.cleanup();
});
beforeEach(async () => {
  position = await lastChangeId(publisher, changesKey);
  warnings = [];
  store = createSessionStore({
    prisma,
    publisher,
    changesKey,
    logger: { warn: (fields, message) => warnings.push([fields, message]) },
  });
});

let seq = 0;
function event(session: string, kind: EventKind, time: number): NormalizedEvent {
  const input = eventInputSchema.parse({ session_id: session, source: "test", kind });
  return buildEvent(
    input,
    mapEventInput(input),
    { key: `s${++seq}`, receivedMs: NOW, stampedMs: time, host: null },
    input,
  );
}

/** Every session the stream carried since the last `forget()`, oldest first. */
async function heard(): Promise<Heard[]> {
  const { changes, gone } = await readChangesAfter(publisher, changesKey, position, 10_000);
  expect(gone).toBe(false);
  return changes.map((c) => JSON.parse(c.session) as Heard);
}

/** What the stream said about these sessions (the store appends before its write returns). */
async function heardAbout(ids: string[]) {
  const messages = (await heard()).filter((s) => ids.includes(s.id));
  expect([...new Set(messages.map((s) => s.id))].sort()).toEqual([...ids].sort());
  return messages.map((session) => ({ type: "session", session }));
}

/** Forgets what was heard so far. */
async function forget(): Promise<void> {
  position = await lastChangeId(publisher, changesKey);
}

/** The ids of every session announced since the last `forget()`. */
async function nothingElse(): Promise<string[]> {
  return (await heard()).map((s) => s.id);
}

describe("the session store: every write announces what it changed", () => {
  it("applying events announces each changed session, once, as it is after the batch", async () => {
    const events = [
      event("ap-1", "start", NOW - 3 * MIN),
      event("ap-1", "tool", NOW - 2 * MIN),
      event("ap-2", "start", NOW - MIN),
    ];
    const result = await store.applyEvents(events);
    expect(result.applied).toBe(3);
    const messages = await heardAbout(["ap-1", "ap-2"]);
    expect(messages).toHaveLength(2);
    expect(messages.map((m) => m.session.status)).toEqual(["active", "active"]);
    // The same events again change nothing: nothing to announce.
    await forget();
    expect(await store.applyEvents([events[0]])).toMatchObject({ applied: 0, duplicates: 1, sessions: [] });
    expect(await nothingElse()).toEqual([]);
  });

  it("the stale sweep announces each session it ended, and nothing when none is stale", async () => {
    await store.applyEvents([
      event("st-1", "tool", NOW - 40 * MIN),
      event("st-2", "tool", NOW - 50 * MIN),
      event("st-live", "tool", NOW - MIN),
    ]);
    await forget();
    const ended = await store.reapStale({ cutoffMs: NOW - 30 * MIN, limit: 100 });
    expect(ended.sort()).toEqual(["st-1", "st-2"]);
    const messages = await heardAbout(["st-1", "st-2"]);
    expect(messages.map((m) => [m.session.id, m.session.end_reason]).sort()).toEqual([
      ["st-1", "stale"],
      ["st-2", "stale"],
    ]);
    await forget();
    expect(await store.reapStale({ cutoffMs: NOW - 30 * MIN, limit: 100 })).toEqual([]);
    expect(await nothingElse()).toEqual([]);
  });

  it("a close is announced when it changed the session, not when it had already ended", async () => {
    await store.applyEvents([event("cl-1", "start", NOW - 5 * MIN)]);
    await forget();
    expect(await store.close("cl-1")).toMatchObject({ changed: true });
    expect((await heardAbout(["cl-1"]))[0].session).toMatchObject({ status: "ended", end_reason: "closed" });
    await forget();
    expect(await store.close("cl-1")).toMatchObject({ changed: false });
    expect(await store.close("no-such-session")).toBeNull();
    expect(await nothingElse()).toEqual([]);
  });

  it("a clean-up announces what it closed; its dry run announces nothing", async () => {
    await store.applyEvents([event("cu-1", "tool", NOW - 90 * MIN), event("cu-live", "tool", NOW - MIN)]);
    await forget();
    const listed = await store.cleanup({
      cutoffMs: NOW - 60 * MIN,
      dryRun: true,
      limit: 100,
      ids: ["cu-1", "cu-live"],
    });
    expect(listed.map((s) => s.id)).toEqual(["cu-1"]);
    expect(await nothingElse()).toEqual([]);
    await forget();
    await store.cleanup({ cutoffMs: NOW - 60 * MIN, dryRun: false, limit: 100, ids: ["cu-1", "cu-live"] });
    expect((await heardAbout(["cu-1"])).map((m) => m.session.end_reason)).toEqual(["closed"]);
    expect(await nothingElse()).toEqual(["cu-1"]);
  });

  it("a failed announcement is logged, never thrown: the write is committed", async () => {
    // A publisher whose connection is gone (Redis away): its PUBLISH fails at once.
    const gone = new Redis(env.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await waitFor(() => gone.status === "ready", { what: "the second publisher connected" });
    gone.disconnect();
    const cut = createSessionStore({
      prisma,
      publisher: gone,
      changesKey,
      logger: { warn: (fields, message) => warnings.push([fields, message]) },
    });
    const result = await cut.applyEvents([event("lost-1", "start", NOW - MIN)]);
    expect(result.applied).toBe(1);
    expect(await getSession(prisma, "lost-1")).toMatchObject({ id: "lost-1" });
    expect(warnings).toEqual([
      [expect.objectContaining({ write: "apply", sessions: 1 }), "could not publish session changes"],
    ]);
  });
});
