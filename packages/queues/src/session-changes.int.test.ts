import { Redis } from "ioredis";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { SESSION_CHANGES_MAX, sessionChangesKey } from "./names";
import {
  appendSessionChanges,
  type ChangeListener,
  compareStreamIds,
  lastChangeId,
  readChangesAfter,
  type SessionChange,
  SessionChangeReader,
  STREAM_START,
} from "./session-changes";

let env: TestEnv;
let REDIS_URL: string;
let prefix: string;
let key: string;
let redis: Redis;
const readers: SessionChangeReader[] = [];

beforeAll(async () => {
  env = await createTestEnv("changes");
  ({ redisUrl: REDIS_URL, redisPrefix: prefix } = env);
  key = sessionChangesKey(prefix);
  redis = new Redis(REDIS_URL);
});
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});
afterAll(async () => {
  redis?.disconnect();
  await env?.cleanup();
});

const session = (id: string, n: number) => JSON.stringify({ id, status: "active", event_count: n });

/** A listener that records what it hears. */
function recorder() {
  const heard: SessionChange[] = [];
  const states: Array<{ state: string; gap: boolean }> = [];
  const listener: ChangeListener = {
    change: (c) => heard.push(c),
    status: (state, { gap }) => states.push({ state, gap }),
  };
  return { heard, states, listener };
}

/** The names of the connections of this reader (by its connection name): how many it holds open. */
const connectionsNamed = async (name: string) =>
  ((await redis.client("LIST")) as string).split("\n").filter((line) => line.includes(` name=${name} `)).length;

describe("the session-change stream", () => {
  it("appends in one pipeline and reads after an id, saying when the id is gone", async () => {
    expect(await lastChangeId(redis, key)).toBe(STREAM_START);
    await appendSessionChanges(redis, key, [session("a", 1), session("b", 1), session("a", 2)]);
    const all = await readChangesAfter(redis, key, STREAM_START);
    expect(all.gone).toBe(false);
    expect(all.changes.map((c) => JSON.parse(c.session))).toEqual([
      { id: "a", status: "active", event_count: 1 },
      { id: "b", status: "active", event_count: 1 },
      { id: "a", status: "active", event_count: 2 },
    ]);
    expect(compareStreamIds(all.changes[0].id, all.changes[1].id)).toBe(-1);
    expect(await lastChangeId(redis, key)).toBe(all.changes[2].id);
    expect(await readChangesAfter(redis, key, all.changes[0].id, 1)).toEqual({
      changes: [all.changes[1]],
      gone: false,
    });
    // An id that was never there (or was trimmed): gone, whatever follows it.
    expect((await readChangesAfter(redis, key, "1-0")).gone).toBe(true);
    await redis.xtrim(key, "MINID", all.changes[2].id);
    expect((await readChangesAfter(redis, key, all.changes[0].id)).gone).toBe(true);
  });

  it("is trimmed to about SESSION_CHANGES_MAX entries", async () => {
    const trimKey = `${prefix}:trim`;
    const batch = Array.from({ length: 1_000 }, (_, i) => session(`t-${i}`, i));
    for (let i = 0; i < SESSION_CHANGES_MAX / 1_000 + 3; i++) await appendSessionChanges(redis, trimKey, batch);
    const length = await redis.xlen(trimKey);
    expect(length).toBeGreaterThanOrEqual(SESSION_CHANGES_MAX);
    expect(length).toBeLessThan(SESSION_CHANGES_MAX + 1_500);
  });

  it("one shared reader: every listener hears each change once, in order; it closes with the last listener", async () => {
    const name = `${prefix}-reader`.replace(/[^a-z0-9-]/gi, "");
    const reader = new SessionChangeReader(REDIS_URL, key, { connectionName: name });
    readers.push(reader);
    const one = recorder();
    const two = recorder();
    const removeOne = reader.add(one.listener);
    await waitFor(() => one.states.length > 0 || undefined, { what: "the reader up" });
    expect(one.states).toEqual([{ state: "up", gap: false }]);
    const removeTwo = reader.add(two.listener);
    // Joining a reader that is up: heard at once.
    expect(two.states).toEqual([{ state: "up", gap: false }]);
    const sent = Array.from({ length: 50 }, (_, i) => session(`r-${i % 3}`, i));
    for (let i = 0; i < sent.length; i += 10) await appendSessionChanges(redis, key, sent.slice(i, i + 10));
    await waitFor(() => (one.heard.length >= 50 && two.heard.length >= 50) || undefined, { what: "every change" });
    expect(one.heard.map((c) => c.session)).toEqual(sent);
    expect(two.heard).toEqual(one.heard);
    expect(await connectionsNamed(name)).toBe(1);
    removeOne();
    removeTwo();
    await waitFor(async () => (await connectionsNamed(name)) === 0 || undefined, { what: "the connection closed" });
  });

  it("a listener added just after the last one left hears up, however soon it left (seen in CI: a tab stuck connecting)", async () => {
    // The last listener leaving closes the connection; the next one opens another. A reader that
    // was left while it read the newest id (its answer already in) went on to say "up" for the
    // closed connection, after which the new connection's "up" was no change: never heard.
    const reader = new SessionChangeReader(REDIS_URL, key);
    readers.push(reader);
    const first = recorder();
    const remove = reader.add(first.listener);
    const connection = (reader as unknown as { redis: Redis }).redis;
    const readNewest = connection.xrevrange.bind(connection);
    // Leaves the moment the newest id has been read, before the reader goes on.
    connection.xrevrange = (async (...args: Parameters<typeof readNewest>) => {
      const answer = await readNewest(...args);
      remove();
      return answer;
    }) as typeof connection.xrevrange;
    await waitFor(() => connection.status === "end" || undefined, { what: "the first connection closed" });
    const next = recorder();
    reader.add(next.listener);
    await waitFor(() => next.states.some((s) => s.state === "up") || undefined, { timeoutMs: 3_000, what: "up" });
    expect(first.states).toEqual([]);
  });

  it("a reader whose position was trimmed away says so (gap) and goes on from the newest", async () => {
    const gapKey = `${prefix}:gap`;
    const reader = new SessionChangeReader(REDIS_URL, gapKey);
    readers.push(reader);
    const heard = recorder();
    reader.add(heard.listener);
    await waitFor(() => heard.states.length > 0 || undefined, { what: "the reader up" });
    await appendSessionChanges(redis, gapKey, [session("g", 1)]);
    await waitFor(() => heard.heard.length === 1 || undefined, { what: "the first change" });
    // Appended and trimmed past the reader at once, as a burst beyond SESSION_CHANGES_MAX would.
    await redis.multi().xadd(gapKey, "*", "session", session("g", 2)).xtrim(gapKey, "MAXLEN", 0).exec();
    await appendSessionChanges(redis, gapKey, [session("g", 3)]);
    await waitFor(() => heard.states.some((s) => s.gap) || undefined, { what: "the gap said" });
    await appendSessionChanges(redis, gapKey, [session("g", 4)]);
    await waitFor(() => heard.heard.some((c) => JSON.parse(c.session).event_count === 4) || undefined, {
      what: "live after the gap",
    });
    expect(heard.heard.map((c) => JSON.parse(c.session).event_count)).not.toContain(2);
  });
});
