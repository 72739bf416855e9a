// Rule 13 as a property: whatever order a session's events arrive in, duplicated or not, with the
// reaper judging it in between, applying them as the store does gives the fold of the sorted history.
import fc from "fast-check";
import { compareEvents, extendsHistory, foldHistory, type HistoryEvent } from "./history";
import { applyEvent, isStale, lastSignOfLife, newSession, type SessionState } from "./lifecycle";

const KINDS = ["start", "prompt", "tool", "activity", "attention", "turn_end", "end"] as const;

const eventArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  // A small range of times, so ties happen.
  time: fc.integer({ min: 0, max: 40 }),
  signal: fc.constantFrom("status", "status", "status", "telemetry", "bookkeeping"),
  endReason: fc.constantFrom("session_end", "process_exit"),
  waitingReason: fc.constantFrom("permission", "idle", "error", "interrupted"),
  detail: fc.constantFrom(null, "fix the build", "<REDACTED>", "prompt of 12 characters"),
  cwd: fc.constantFrom(null, "/a", "/b"),
  tokens: fc.constantFrom(null, 10, 100),
});

type Generated = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

const toEvent = (g: Generated, i: number): HistoryEvent => ({
  key: `k${i}`,
  kind: g.kind,
  time: 1_000_000 + g.time * 1000,
  source: "claude-code",
  cwd: g.cwd,
  project: g.cwd ? g.cwd.slice(1) : null,
  host: null,
  detail: g.kind === "prompt" ? g.detail : null,
  waitingReason: g.kind === "attention" ? g.waitingReason : null,
  endReason: g.kind === "end" ? g.endReason : null,
  endDetail: null,
  signal: g.signal as HistoryEvent["signal"],
  usage:
    g.tokens === null
      ? null
      : {
          input_tokens: g.tokens,
          output_tokens: 1,
          cache_read_tokens: null,
          cache_creation_tokens: null,
          cost_usd: null,
          model: `m${g.time}`,
          api_error: false,
          tool_call: null,
        },
});

/** The store, as apply-events.ts does it: dedupe by key, extend in order, else fold the history again. */
class ModelStore {
  readonly stored = new Map<string, HistoryEvent>();
  session: SessionState = newSession("s", "claude-code");
  recomputed = 0;

  arrive(batch: HistoryEvent[]) {
    const fresh = batch.filter((e, i) => !this.stored.has(e.key) && batch.findIndex((o) => o.key === e.key) === i);
    if (fresh.length === 0) return;
    for (const e of fresh) this.stored.set(e.key, e);
    if (extendsHistory(this.session, fresh)) {
      this.session = [...fresh].sort(compareEvents).reduce(applyEvent, this.session);
    } else {
      this.recomputed++;
      this.session = foldHistory("s", "claude-code", [...this.stored.values()], {
        aliveAt: this.session.aliveAt,
        parentSessionId: null,
      });
    }
  }

  /** The reaper at `cutoff`: a stale session gets its recorded stale end, at its last sign of life. */
  reap(cutoff: number) {
    if (!isStale(this.session, cutoff)) return;
    const at = lastSignOfLife(this.session)!;
    this.arrive([
      {
        key: `pulse:stale:${at}`,
        kind: "end",
        time: at,
        source: "claude-code",
        cwd: null,
        project: null,
        host: null,
        detail: null,
        waitingReason: null,
        endReason: "stale",
        endDetail: null,
      },
    ]);
  }
}

const scenario = fc.array(eventArb, { minLength: 1, maxLength: 14 }).chain((generated) => {
  const events = generated.map(toEvent);
  return fc.record({
    events: fc.constant(events),
    // An arrival order: a permutation, with some events delivered twice.
    order: fc.shuffledSubarray(
      events.map((_, i) => i),
      { minLength: events.length, maxLength: events.length },
    ),
    duplicates: fc.array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 4 }),
    // Reaper runs between arrivals: after arrival n, with a cutoff in the events' time range.
    reaps: fc.array(
      fc.record({ after: fc.integer({ min: 0, max: events.length }), cutoff: fc.integer({ min: 0, max: 45 }) }),
      { maxLength: 3 },
    ),
    batchSize: fc.integer({ min: 1, max: 3 }),
  });
});

describe("one history, one state (rule 13)", () => {
  it("the store's state is the fold of the sorted history, for any arrival order, duplicates and reaper runs", () => {
    let recomputes = 0;
    fc.assert(
      fc.property(scenario, ({ events, order, duplicates, reaps, batchSize }) => {
        const arrivals = [...order.map((i) => events[i]), ...duplicates.map((i) => events[i])];
        const store = new ModelStore();
        for (let n = 0; n < arrivals.length; n += batchSize) {
          store.arrive(arrivals.slice(n, n + batchSize));
          for (const r of reaps.filter((r) => r.after === n)) store.reap(1_000_000 + r.cutoff * 1000);
        }
        recomputes += store.recomputed;
        const truth = foldHistory("s", "claude-code", [...store.stored.values()], {
          aliveAt: null,
          parentSessionId: null,
        });
        expect(store.session).toEqual(truth);
      }),
      { numRuns: 3000 },
    );
    // The property also exercised the late-arrival path, not only the in-order one.
    expect(recomputes).toBeGreaterThan(100);
  });

  it("the same set of events gives the same state in any order (two arrival orders, one state)", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 12 }), fc.integer(), (generated, seed) => {
        const events = generated.map(toEvent);
        const a = new ModelStore();
        const b = new ModelStore();
        const shuffled = [...events].sort(
          (x, y) => ((x.time * 31 + seed) % 7) - ((y.time * 31 + seed) % 7) || x.key.localeCompare(y.key),
        );
        for (const e of events) a.arrive([e]);
        for (const e of shuffled) b.arrive([e]);
        expect(a.session).toEqual(b.session);
      }),
      { numRuns: 2000 },
    );
  });

  it("the issue's two cases: a later explicit end is kept, and whichever end arrives first, the earlier ends it", () => {
    const ev = (
      key: string,
      kind: HistoryEvent["kind"],
      second: number,
      endReason: HistoryEvent["endReason"] = null,
    ): HistoryEvent => ({
      key,
      kind,
      time: second * 1000,
      source: "claude-code",
      cwd: null,
      project: null,
      host: null,
      detail: null,
      waitingReason: null,
      endReason,
      endDetail: null,
    });
    const end1 = ev("a", "end", 1, "session_end");
    const exit3 = ev("b", "end", 3, "process_exit");
    const turn2 = ev("c", "turn_end", 2);
    const store = new ModelStore();
    for (const e of [end1, exit3, turn2]) store.arrive([e]);
    // The turn at 2 reopened the session after its end at 1; the process exit at 3 ends it for good.
    expect(store.session).toMatchObject({ status: "ended", endReason: "process_exit", endedAt: 3000, reopenCount: 1 });
    const first = new ModelStore();
    const second = new ModelStore();
    const exit2 = ev("d", "end", 2, "process_exit");
    for (const e of [end1, exit2]) first.arrive([e]);
    for (const e of [exit2, end1]) second.arrive([e]);
    expect(first.session).toEqual(second.session);
    expect(first.session).toMatchObject({ endReason: "session_end", endedAt: 1000 });
  });
});
