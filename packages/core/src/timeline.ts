import { applyEvent, type EndReason, INFERRED_END_REASONS, type LifecycleEvent, newSession, type SessionState, type SessionStatus } from "./lifecycle";

export interface TimelineSession {
  id: string;
  source: string;
  /** How the session stands now: an inferred end (closed, stale) is not among its events. */
  status: SessionStatus;
  endReason: EndReason | null;
  endedAt: number | null;
  /** Its events from the newest one before the window to the end of the window, oldest first. */
  events: LifecycleEvent[];
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
 * - a session closed or reaped now is ended from its `ended_at` unless an event came after.
 */
export function concurrencyTimeline(sessions: TimelineSession[], { fromMs, toMs, buckets, staleTimeoutMs }: TimelineOptions): Timeline {
  const step = Math.max(1, Math.floor((toMs - fromMs) / Math.max(1, buckets - 1)));
  const instants = Array.from({ length: buckets }, (_, i) => Math.min(toMs, fromMs + i * step));
  const working = new Array<number>(buckets).fill(0);
  const waiting = new Array<number>(buckets).fill(0);

  for (const current of sessions) {
    const { events } = current;
    const inferredEnd = current.status === "ended" && current.endReason !== null && INFERRED_END_REASONS.has(current.endReason) ? current.endedAt : null;
    let state: SessionState | null = null;
    let next = 0;
    instants.forEach((t, i) => {
      const before = next;
      while (next < events.length && events[next].time <= t) next++;
      // Replayed in time order, the newest event at or before t alone decides the state (rule 3; an
      // end, or a revival after one, is itself that newest event): apply just it.
      if (next !== before) state = applyEvent(newSession(current.id, current.source), events[next - 1]);
      if (state === null || state.lastEventAt === null || state.status === "ended") return;
      const following = events[next];
      const silenceEnds = following ? following.time : toMs;
      if (silenceEnds - state.lastEventAt > staleTimeoutMs && following?.kind !== "end") return;
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
