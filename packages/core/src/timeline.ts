import {
  applyEvent,
  type EndReason,
  INFERRED_END_REASONS,
  type LifecycleEvent,
  newSession,
  type SessionState,
  type SessionStatus,
} from "./lifecycle";

export interface TimelineSession {
  id: string;
  source: string;
  /** How the session stands now: an inferred end (closed, stale) is not among its events. */
  status: SessionStatus;
  endReason: EndReason | null;
  endedAt: number | null;
  /**
   * Its events from the newest one before the window (and the newest status event before it, when
   * that is older) to the end of the window, oldest first.
   */
  events: LifecycleEvent[];
  /** Newest proof that its process lives (lifecycle rule 7), when a watcher sends them. */
  aliveAt?: number | null;
}

export interface TimelinePoint {
  t: string;
  working: number;
  waiting: number;
}

export interface Timeline {
  from: string;
  to: string;
  step_ms: number;
  points: TimelinePoint[];
}

export interface TimelineOptions {
  fromMs: number;
  /** The last instant drawn; also "now" for sessions with no event after it. */
  toMs: number;
  buckets: number;
  staleTimeoutMs: number;
}

/**
 * How many sessions were working and waiting at each of `buckets` instants from `fromMs` to `toMs`,
 * replaying each session's events through the lifecycle, so the picture agrees with the durations:
 * - a silence longer than the stale timeout ended the session at the event before it (what the
 *   reaper decides), unless the silence ends with the agent's own end event, which replaces an
 *   inferred end;
 * - a session closed or reaped now is ended from its `ended_at` unless an event came after;
 * - its status at an instant is the one its newest *status* event gave (rule 6: telemetry and
 *   bookkeeping never change it, except on a session that has had no status event yet), while any
 *   event, and the newest proof of life, counts as a sign of life (rules 6 and 8): the chart's "now"
 *   says what the "Working now" figure says.
 */
export function concurrencyTimeline(
  sessions: TimelineSession[],
  { fromMs, toMs, buckets, staleTimeoutMs }: TimelineOptions,
): Timeline {
  const step = timelineStep({ fromMs, toMs, buckets });
  const instants = Array.from({ length: buckets }, (_, i) => Math.min(toMs, fromMs + i * step));
  // Between two of a session's events its state is the same at every instant, so it is counted over
  // a range of instants at once (a difference array): the cost is its events plus the instants once,
  // not its events times the instants (100,000 sessions × 1,000 instants stalled ingest for seconds).
  const workingDiff = new Int32Array(buckets + 1);
  const waitingDiff = new Int32Array(buckets + 1);
  /** The first instant at or after `ms` (`buckets` when none is). */
  const atOrAfter = (ms: number) => firstInstant(instants, (t) => t >= ms);
  /** The first instant after `ms`. */
  const after = (ms: number) => firstInstant(instants, (t) => t > ms);

  for (const current of sessions) {
    const { events } = current;
    const inferredEnd =
      current.status === "ended" && current.endReason !== null && INFERRED_END_REASONS.has(current.endReason)
        ? current.endedAt
        : null;
    let state: SessionState | null = null;
    let lastStatus: LifecycleEvent | null = null;
    let next = 0;
    for (let i = 0; i < buckets;) {
      const t = instants[i];
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
      const following = events[next];
      // Instants i … run-1 see no new event: the same state, the same silence after it.
      const run = following ? Math.max(i + 1, atOrAfter(following.time)) : buckets;
      if (state !== null && state.lastEventAt !== null && state.status !== "ended") {
        let counted = run;
        const silenceEnds = following ? following.time : toMs;
        // After its last event, a watcher's proof of life keeps the session alive (rule 8); only the
        // newest proof is kept, so earlier silences are judged on events alone.
        const lastSign =
          !following && current.aliveAt != null ? Math.max(state.lastEventAt, current.aliveAt) : state.lastEventAt;
        // A silence longer than the timeout ended it at its last sign (the reaper's decision), unless
        // the agent's own end closes the silence; a proof of life counts until its own time.
        if (silenceEnds - lastSign > staleTimeoutMs && following?.kind !== "end")
          counted = lastSign === state.lastEventAt ? i : Math.min(counted, after(lastSign));
        if (inferredEnd !== null && state.lastEventAt <= inferredEnd)
          counted = Math.min(counted, atOrAfter(inferredEnd));
        if (counted > i) {
          const diff = state.status === "waiting" ? waitingDiff : workingDiff;
          diff[i]++;
          diff[counted]--;
        }
      }
      i = run;
    }
  }

  const working = prefixSums(workingDiff, buckets);
  const waiting = prefixSums(waitingDiff, buckets);
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    step_ms: step,
    points: instants.map((t, i) => ({ t: new Date(t).toISOString(), working: working[i], waiting: waiting[i] })),
  };
}

/** Milliseconds between two instants of a timeline (at least 1). */
export function timelineStep({ fromMs, toMs, buckets }: Pick<TimelineOptions, "fromMs" | "toMs" | "buckets">): number {
  return Math.max(1, Math.floor((toMs - fromMs) / Math.max(1, buckets - 1)));
}

/** The index of the first instant (ascending) that passes `test`, or their count when none does. */
function firstInstant(instants: number[], test: (t: number) => boolean): number {
  let lo = 0;
  let hi = instants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(instants[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function prefixSums(diff: Int32Array, length: number): number[] {
  const out = new Array<number>(length);
  let sum = 0;
  for (let i = 0; i < length; i++) out[i] = sum += diff[i];
  return out;
}
