// Rule 13 through the real store (Postgres, one transaction per batch): the same events in any
// arrival order, in batches of any size, duplicated, with the reaper judging in between, leave the
// session in the state its stored history folds to — and twin sessions fed the same events in
// different orders end the same.
import { buildEvent, eventInputSchema, foldHistory, mapEventInput, type SessionState, STALE_END } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import fc from "fast-check";
import { createTestEnv, type TestEnv } from "../../../test/env";
import { applyEventBatch } from "./apply-events";
import { endStaleSessions } from "./stale-sweep";
import { loadHistories } from "./history";
import { getSession } from "./queries";

let env: TestEnv;
let prisma: PrismaClient;
beforeAll(async () => {
  env = await createTestEnv("history");
  prisma = createPrismaClient(env.databaseUrl);
});
afterAll(async () => {
  await prisma.$disconnect();
  await env.cleanup();
});

const T0 = Date.UTC(2026, 11, 1, 10);
const eventArb = fc.record({
  kind: fc.constantFrom("start", "prompt", "tool", "activity", "attention", "turn_end", "end"),
  second: fc.integer({ min: 0, max: 30 }),
  endReason: fc.constantFrom("session_end", "process_exit"),
  prompt: fc.constantFrom("fix the build", "write the docs"),
  cwd: fc.constantFrom(undefined, "/w/a", "/w/b"),
});
type Spec = (typeof eventArb extends fc.Arbitrary<infer T> ? T : never) & { key: string };

function toEvent(session: string, spec: Spec) {
  const input = eventInputSchema.parse({
    session_id: session,
    source: "claude-code",
    kind: spec.kind,
    time: T0 + spec.second * 1000,
    id: spec.key,
    cwd: spec.cwd,
    detail: spec.kind === "prompt" ? spec.prompt : undefined,
    waiting_reason: spec.kind === "attention" ? "permission" : undefined,
    end_reason: spec.kind === "end" ? spec.endReason : undefined,
  });
  return buildEvent(
    input,
    mapEventInput(input),
    { key: spec.key, receivedMs: Date.now(), stampedMs: input.time ?? undefined, host: null },
    input,
  );
}

/** A session's state without what names it. */
const comparable = (s: SessionState | null) => (s ? { ...s, id: "x" } : null);

let run = 0;
describe("one history, one state in the store (rule 13)", () => {
  it("twins fed the same events in different orders and batches end in the same state; with reaper runs in between, the state is the fold of the stored history", async () => {
    let refolds = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 2, maxLength: 10 }).chain((events) => {
          const specs = events.map((e, i) => ({ ...e, key: `e${i}` }));
          const indexes = specs.map((_, i) => i);
          return fc.record({
            specs: fc.constant(specs),
            orderA: fc.shuffledSubarray(indexes, { minLength: indexes.length, maxLength: indexes.length }),
            orderB: fc.shuffledSubarray(indexes, { minLength: indexes.length, maxLength: indexes.length }),
            batchA: fc.integer({ min: 1, max: 4 }),
            batchB: fc.integer({ min: 1, max: 4 }),
            duplicate: fc.integer({ min: 0, max: indexes.length - 1 }),
            reapAfter: fc.integer({ min: 0, max: indexes.length }),
            reapAtSecond: fc.integer({ min: 0, max: 35 }),
          });
        }),
        async ({ specs, orderA, orderB, batchA, batchB, duplicate, reapAfter, reapAtSecond }) => {
          run++;
          const [a, b, c] = [`a${run}`, `b${run}`, `c${run}`];
          const feed = async (
            session: string,
            order: number[],
            size: number,
            reap?: { after: number; cutoff: number },
          ) => {
            const list = [...order, duplicate].map((i) => toEvent(session, specs[i]));
            for (let n = 0; n < list.length; n += size) {
              await applyEventBatch(prisma, list.slice(n, n + size));
              if (reap && reap.after >= n && reap.after < n + size)
                await endStaleSessions(prisma, { cutoffMs: reap.cutoff, limit: 10, end: STALE_END, ids: [session] });
            }
          };
          await feed(a, orderA, batchA);
          await feed(b, orderB, batchB);
          await feed(c, orderB, batchB, { after: reapAfter, cutoff: T0 + reapAtSecond * 1000 });
          const [sa, sb, sc] = await Promise.all([a, b, c].map((id) => getSession(prisma, id)));
          expect(comparable(sb)).toEqual(comparable(sa));
          const history = (await loadHistories(prisma, [c])).get(c)!;
          if (history.some((e) => e.key.startsWith("pulse:stale:"))) refolds++;
          expect(comparable(sc)).toEqual(
            comparable(foldHistory(c, "claude-code", history, { aliveAt: null, parentSessionId: null })),
          );
        },
      ),
      { numRuns: Number(process.env.PULSE_PROPERTY_RUNS ?? 60) },
    );
    // The reaper did run in some cases (its end is part of those histories).
    expect(refolds).toBeGreaterThan(3);
  }, 180_000);
});
