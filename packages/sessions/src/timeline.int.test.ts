// getTimeline reads from Postgres only what the replay needs (per interval between instants, the
// first, last and last status event; before the window, the newest event and status event) and folds
// sessions in chunks. This checks it draws exactly what the fold of every stored event draws, on
// random sessions, events (ties, telemetry, spans, events before and after the window), windows,
// bucket counts and chunk sizes.
import {
  concurrencyTimeline,
  EVENT_KINDS,
  type EndReason,
  type EventKind,
  type LifecycleEvent,
  type SessionStatus,
  type Signal,
  type TimelineSession,
} from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import fc from "fast-check";
import { Client } from "pg";
import { createTestEnv, type TestEnv } from "../../../test/env";
import { getTimeline } from "./timeline";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const MIN = 60_000;

let env: TestEnv;
let prisma: PrismaClient;
let db: Client;

beforeAll(async () => {
  env = await createTestEnv("timeline");
  prisma = createPrismaClient(env.databaseUrl);
  db = new Client({ connectionString: env.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await prisma?.$disconnect();
  await env?.cleanup();
});

const optionsArb = fc.record({
  fromAgo: fc.integer({ min: 1, max: 120 }),
  buckets: fc.integer({ min: 1, max: 80 }),
  staleMinutes: fc.integer({ min: 1, max: 40 }),
  firstChunk: fc.integer({ min: 1, max: 4 }),
});
type Options = typeof optionsArb extends fc.Arbitrary<infer T> ? T : never;

/** Minutes ago: anywhere, or exactly on an instant of the window (or a millisecond off), where intervals meet. */
const agoArb = (o: Options) => {
  const step = Math.max(1, Math.floor((o.fromAgo * MIN) / Math.max(1, o.buckets - 1)));
  const onInstant = fc
    .tuple(fc.integer({ min: -1, max: o.buckets + 1 }), fc.constantFrom(0, 0, 0, -1, 1))
    .map(([k, off]) => (o.fromAgo * MIN - k * step - off) / MIN);
  return fc.oneof(
    fc.integer({ min: -3, max: 150 }),
    fc.integer({ min: 0, max: 600 }).map((n) => n / 4),
    onInstant,
  );
};
const eventArb = (o: Options) =>
  fc.record({
    kind: fc.constantFrom<string>(...EVENT_KINDS, "span"),
    ago: agoArb(o),
    signal: fc.constantFrom<Signal>("status", "status", "telemetry", "bookkeeping"),
  });
const sessionArb = (o: Options) =>
  fc.record({
    status: fc.constantFrom<SessionStatus>("active", "waiting", "ended"),
    endReason: fc.constantFrom<EndReason | null>(null, "session_end", "process_exit", "stale", "closed"),
    endedAgo: fc.option(fc.integer({ min: -2, max: 150 }), { nil: null }),
    aliveAgo: fc.option(fc.integer({ min: -2, max: 150 }), { nil: null }),
    events: fc.array(eventArb(o), { minLength: 1, maxLength: 25 }),
  });

/** The fold of every stored event of every session in the window (the definition getTimeline keeps to). */
async function foldOfEverything(fromMs: number, toMs: number, buckets: number, staleTimeoutMs: number) {
  const { rows: sessions } = await db.query(
    `SELECT id, source, status, end_reason, (EXTRACT(EPOCH FROM ended_at) * 1000)::float8 AS ended_ms, (EXTRACT(EPOCH FROM alive_at) * 1000)::float8 AS alive_ms FROM sessions
     WHERE started_at <= $2 AND (ended_at IS NULL OR ended_at >= $1) AND last_event_at IS NOT NULL ORDER BY id`,
    [new Date(fromMs), new Date(toMs)],
  );
  const { rows: events } = await db.query(
    `SELECT session_id, kind, signal, (EXTRACT(EPOCH FROM time) * 1000)::float8 AS ms FROM events WHERE kind <> 'span' AND time <= $1 ORDER BY session_id, time, id`,
    [new Date(toMs)],
  );
  const timelineSessions: TimelineSession[] = sessions.map((s) => ({
    id: s.id,
    source: s.source,
    status: s.status,
    endReason: s.end_reason,
    endedAt: s.ended_ms,
    aliveAt: s.alive_ms,
    events: events
      .filter((e) => e.session_id === s.id)
      .map((e): LifecycleEvent => ({
        kind: e.kind as EventKind,
        time: e.ms,
        source: "",
        cwd: null,
        project: null,
        host: null,
        detail: null,
        waitingReason: null,
        endReason: null,
        endDetail: null,
        signal: e.signal,
      })),
  }));
  return concurrencyTimeline(timelineSessions, { fromMs, toMs, buckets, staleTimeoutMs });
}

describe("getTimeline", () => {
  it("draws what the fold of every stored event draws", async () => {
    await fc.assert(
      fc.asyncProperty(
        optionsArb.chain((o) => fc.tuple(fc.array(sessionArb(o), { minLength: 1, maxLength: 8 }), fc.constant(o))),
        async ([sessions, o]) => {
          await db.query("TRUNCATE events, sessions CASCADE");
          for (const [i, s] of sessions.entries()) {
            const times = s.events.map((e) => NOW - e.ago * MIN);
            await db.query(
              `INSERT INTO sessions (id, source, status, end_reason, started_at, last_event_at, ended_at, alive_at) VALUES ($1, 'x', $2, $3, $4, $5, $6, $7)`,
              [
                `s${i}`,
                s.status,
                s.endReason,
                new Date(Math.min(...times)),
                new Date(Math.max(...times)),
                s.endedAgo === null ? null : new Date(NOW - s.endedAgo * MIN),
                s.aliveAgo === null ? null : new Date(NOW - s.aliveAgo * MIN),
              ],
            );
            for (const [k, e] of s.events.entries()) {
              await db.query(
                `INSERT INTO events (session_id, key, source, kind, signal, time, received_at) VALUES ($1, $2, 'x', $3, $4, $5, $5)`,
                [`s${i}`, `k${k}`, e.kind, e.signal, new Date(NOW - e.ago * MIN)],
              );
            }
          }
          const options = {
            fromMs: NOW - o.fromAgo * MIN,
            toMs: NOW,
            buckets: o.buckets,
            staleTimeoutMs: o.staleMinutes * MIN,
          };
          const read = await getTimeline(prisma, options, { firstChunk: o.firstChunk });
          expect(read).toEqual(
            await foldOfEverything(options.fromMs, options.toMs, options.buckets, options.staleTimeoutMs),
          );
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);

  it("takes a window that does not start on a whole millisecond", async () => {
    await db.query("TRUNCATE events, sessions CASCADE");
    await db.query(
      `INSERT INTO sessions (id, source, status, started_at, last_event_at) VALUES ('f', 'x', 'active', $1, $1)`,
      [new Date(NOW - 10 * MIN)],
    );
    await db.query(
      `INSERT INTO events (session_id, key, source, kind, time, received_at) VALUES ('f', 'k', 'x', 'prompt', $1, $1)`,
      [new Date(NOW - 10 * MIN)],
    );
    const timeline = await getTimeline(prisma, {
      fromMs: NOW - 743.9999999 * 60 * MIN,
      toMs: NOW + 0.25,
      buckets: 3,
      staleTimeoutMs: 60 * MIN,
    });
    expect(timeline.points.at(-1)).toMatchObject({ working: 1 });
  });

  it("draws an empty database", async () => {
    await db.query("TRUNCATE events, sessions CASCADE");
    const timeline = await getTimeline(prisma, {
      fromMs: NOW - 60 * MIN,
      toMs: NOW,
      buckets: 7,
      staleTimeoutMs: 5 * MIN,
    });
    expect(timeline.points.map((p) => [p.working, p.waiting])).toEqual(Array.from({ length: 7 }, () => [0, 0]));
  });
});
