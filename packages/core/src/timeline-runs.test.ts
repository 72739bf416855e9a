// concurrencyTimeline counts a session over a run of instants at once (its cost is its events, not
// its events times the instants); this checks it against the instant-by-instant replay it replaced,
// kept below as the reference, on random sessions, windows and bucket counts. Also: the reduction
// getTimeline applies in SQL (per session and interval between instants, only the first, the last
// and the last status event) never changes the picture.
import fc from "fast-check";
import { EVENT_KINDS, type Signal } from "./event";
import {
  applyEvent,
  type EndReason,
  INFERRED_END_REASONS,
  type LifecycleEvent,
  newSession,
  type SessionState,
} from "./lifecycle";
import {
  concurrencyTimeline,
  type Timeline,
  type TimelineOptions,
  type TimelineSession,
  timelineStep,
} from "./timeline";

/** The replay as it was before (commit 5936268): every instant of every session, one by one. */
function referenceTimeline(
  sessions: TimelineSession[],
  { fromMs, toMs, buckets, staleTimeoutMs }: TimelineOptions,
): Timeline {
  const step = Math.max(1, Math.floor((toMs - fromMs) / Math.max(1, buckets - 1)));
  const instants = Array.from({ length: buckets }, (_, i) => Math.min(toMs, fromMs + i * step));
  const working = new Array<number>(buckets).fill(0);
  const waiting = new Array<number>(buckets).fill(0);

  for (const current of sessions) {
    const { events } = current;
    const inferredEnd =
      current.status === "ended" && current.endReason !== null && INFERRED_END_REASONS.has(current.endReason)
        ? current.endedAt
        : null;
    let state: SessionState | null = null;
    let lastStatus: LifecycleEvent | null = null;
    let next = 0;
    instants.forEach((t, i) => {
      const before = next;
      for (; next < events.length && events[next].time <= t; next++)
        if ((events[next].signal ?? "status") === "status") lastStatus = events[next];
      // Replayed in time order, the newest status event at or before t alone decides the state (rule
      // 3; an end, or a revival after one, is itself that newest event): apply just it. Until the
      // session has one, its telemetry stands in (rule 6). Its newest event of any kind is its last
      // sign of activity.
      if (next !== before) {
        const newest = events[next - 1];
        state = {
          ...applyEvent(newSession(current.id, current.source), lastStatus ?? newest),
          lastEventAt: newest.time,
        };
      }
      if (state === null || state.lastEventAt === null || state.status === "ended") return;
      const following = events[next];
      const silenceEnds = following ? following.time : toMs;
      // After its last event, a watcher's proof of life keeps the session alive (rule 8); only the
      // newest proof is kept, so earlier silences are judged on events alone.
      const lastSign =
        !following && current.aliveAt != null ? Math.max(state.lastEventAt, current.aliveAt) : state.lastEventAt;
      if (
        silenceEnds - lastSign > staleTimeoutMs &&
        following?.kind !== "end" &&
        (lastSign === state.lastEventAt || t > lastSign)
      )
        return;
      if (inferredEnd !== null && t >= inferredEnd && state.lastEventAt <= inferredEnd) return;
      if (state.status === "waiting") waiting[i]++;
      else working[i]++;
    });
  }

  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    step_ms: step,
    points: instants.map((t, i) => ({ t: new Date(t).toISOString(), working: working[i], waiting: waiting[i] })),
  };
}

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const SIGNAL_POOL: Signal[] = ["status", "status", "telemetry", "bookkeeping"];
const END_REASONS: EndReason[] = ["session_end", "process_exit", "stale", "closed"];

const eventArb = fc.record({
  kind: fc.constantFrom(...EVENT_KINDS),
  // Minutes before now, on a coarse grid so events share instants and times now and then.
  ago: fc.oneof(
    fc.integer({ min: -2, max: 200 }),
    fc.integer({ min: 0, max: 400 }).map((n) => n / 4),
  ),
  signal: fc.constantFrom(...SIGNAL_POOL),
});

const sessionArb = fc
  .record({
    events: fc.array(eventArb, { maxLength: 30 }),
    ended: fc.option(fc.record({ reason: fc.constantFrom(...END_REASONS), ago: fc.integer({ min: -5, max: 200 }) }), {
      nil: undefined,
    }),
    aliveAgo: fc.option(fc.integer({ min: -2, max: 200 }), { nil: undefined }),
  })
  .map(({ events, ended, aliveAgo }): TimelineSession => {
    const sorted: LifecycleEvent[] = events
      .map((e) => ({
        kind: e.kind,
        time: NOW - e.ago * MIN,
        source: "x",
        cwd: null,
        project: null,
        host: null,
        detail: null,
        waitingReason: null,
        endReason: e.kind === "end" ? ("session_end" as const) : null,
        endDetail: null,
        signal: e.signal,
      }))
      .sort((a, b) => a.time - b.time);
    const folded = sorted.reduce(applyEvent, newSession("s", "x"));
    return {
      id: "s",
      source: "x",
      status: ended ? "ended" : folded.status,
      endReason: ended ? ended.reason : folded.endReason,
      endedAt: ended ? NOW - ended.ago * MIN : folded.endedAt,
      events: sorted,
      aliveAt: aliveAgo === undefined ? null : NOW - aliveAgo * MIN,
    };
  });

const optionsArb = fc
  .record({
    fromMinutesAgo: fc.integer({ min: 1, max: 240 }),
    toMinutesAgo: fc.integer({ min: -1, max: 10 }),
    buckets: fc.integer({ min: 1, max: 60 }),
    staleMinutes: fc.integer({ min: 1, max: 60 }),
  })
  .map((o): TimelineOptions => ({
    fromMs: NOW - o.fromMinutesAgo * MIN,
    toMs: Math.max(NOW - o.fromMinutesAgo * MIN, NOW - o.toMinutesAgo * MIN),
    buckets: o.buckets,
    staleTimeoutMs: o.staleMinutes * MIN,
  }));

/** What getTimeline reads: per interval between instants, only the first, the last and the last status event. */
function reduced(session: TimelineSession, options: TimelineOptions): TimelineSession {
  const step = timelineStep(options);
  const bucketOf = (ms: number) =>
    ms <= options.fromMs ? 0 : Math.min(options.buckets, Math.ceil((ms - options.fromMs) / step));
  const byBucket = new Map<number, LifecycleEvent[]>();
  for (const e of session.events) byBucket.set(bucketOf(e.time), [...(byBucket.get(bucketOf(e.time)) ?? []), e]);
  const kept = new Set<LifecycleEvent>();
  for (const list of byBucket.values()) {
    kept.add(list[0]);
    kept.add(list[list.length - 1]);
    const status = list.filter((e) => (e.signal ?? "status") === "status").at(-1);
    if (status) kept.add(status);
  }
  return { ...session, events: session.events.filter((e) => kept.has(e)) };
}

describe("concurrencyTimeline over runs of instants", () => {
  it("draws what the instant-by-instant replay draws", () => {
    fc.assert(
      fc.property(fc.array(sessionArb, { maxLength: 6 }), optionsArb, (sessions, options) => {
        const sessionsWithIds = sessions.map((s, i) => ({ ...s, id: `s${i}` }));
        expect(concurrencyTimeline(sessionsWithIds, options)).toEqual(referenceTimeline(sessionsWithIds, options));
      }),
      { numRuns: 3000 },
    );
  });

  it("draws what the instant-by-instant replay draws when events, ends and proofs of life fall on instants", () => {
    const onInstants = optionsArb.chain((options) => {
      const step = timelineStep(options);
      const instant = fc
        .tuple(fc.integer({ min: -1, max: options.buckets + 1 }), fc.constantFrom(0, 0, -1, 1))
        .map(([k, off]) => options.fromMs + k * step + off);
      const session = fc
        .record({
          times: fc.array(fc.tuple(instant, fc.constantFrom(...EVENT_KINDS), fc.constantFrom(...SIGNAL_POOL)), {
            maxLength: 12,
          }),
          ended: fc.option(fc.tuple(instant, fc.constantFrom(...END_REASONS)), { nil: undefined }),
          alive: fc.option(instant, { nil: undefined }),
        })
        .map(({ times, ended, alive }): TimelineSession => {
          const events = times
            .map(([time, kind, signal]) => ({
              kind,
              time,
              source: "x",
              cwd: null,
              project: null,
              host: null,
              detail: null,
              waitingReason: null,
              endReason: kind === "end" ? ("session_end" as const) : null,
              endDetail: null,
              signal,
            }))
            .sort((a, b) => a.time - b.time);
          const folded = events.reduce(applyEvent, newSession("s", "x"));
          return {
            id: "s",
            source: "x",
            status: ended ? "ended" : folded.status,
            endReason: ended ? ended[1] : folded.endReason,
            endedAt: ended ? ended[0] : folded.endedAt,
            events,
            aliveAt: alive ?? null,
          };
        });
      return fc.tuple(fc.array(session, { maxLength: 5 }), fc.constant(options));
    });
    fc.assert(
      fc.property(onInstants, ([sessions, options]) => {
        expect(concurrencyTimeline(sessions, options)).toEqual(referenceTimeline(sessions, options));
      }),
      { numRuns: 3000 },
    );
  });

  it("draws the same from the events getTimeline keeps per interval", () => {
    fc.assert(
      fc.property(fc.array(sessionArb, { maxLength: 6 }), optionsArb, (sessions, options) => {
        const full: Timeline = concurrencyTimeline(sessions, options);
        expect(
          concurrencyTimeline(
            sessions.map((s) => reduced(s, options)),
            options,
          ),
        ).toEqual(full);
      }),
      { numRuns: 3000 },
    );
  });

  it("costs its events plus its instants: 20,000 sessions × 1,000 instants in well under a second", () => {
    const sessions: TimelineSession[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `s${i}`,
      source: "x",
      status: "active",
      endReason: null,
      endedAt: null,
      events: [0, 1, 2, 3, 4]
        .map((k) => ({
          kind: "tool" as const,
          time: NOW - (i % 700) * MIN - k * 10 * MIN,
          source: "x",
          cwd: null,
          project: null,
          host: null,
          detail: null,
          waitingReason: null,
          endReason: null,
          endDetail: null,
        }))
        .reverse(),
    }));
    const started = performance.now();
    const timeline = concurrencyTimeline(sessions, {
      fromMs: NOW - 744 * 60 * MIN,
      toMs: NOW,
      buckets: 1000,
      staleTimeoutMs: 5 * MIN,
    });
    const ms = performance.now() - started;
    expect(timeline.points).toHaveLength(1000);
    expect(timeline.points.some((p) => p.working > 0)).toBe(true);
    // Generous: the instant-by-instant replay took seconds here; the runs take tens of ms.
    expect(ms).toBeLessThan(1500);
  });
});
