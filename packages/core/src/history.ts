/**
 * One history, one state (docs/lifecycle.md rule 13): a session's state is the fold of its events in
 * time order, whatever order they arrived in. Applying events one by one gives that fold as long as
 * each sorts after everything the session has seen; an event that does not (it arrived late) makes
 * the store fold the session's whole stored history again. Pulse's own inferred ends (stale, closed)
 * are recorded as events with their times, so they are part of the history too.
 */
import type { NormalizedKind } from "./event";
import { applyEvent, type LifecycleEvent, newSession, type SessionState } from "./lifecycle";

/** A stored event: the lifecycle's part of it and its idempotency key (the last tie-break). */
export interface HistoryEvent extends LifecycleEvent {
  key: string;
}

/**
 * Events at the same millisecond are ordered by what they mean, so the later step of a turn wins
 * (a tool call before the turn's end, the turn's end before the session's end), then by key: the
 * same set of events always folds the same way.
 */
const KIND_RANK: Record<NormalizedKind, number> = {
  start: 0,
  prompt: 1,
  tool: 2,
  activity: 3,
  span: 3,
  alive: 3,
  attention: 4,
  turn_end: 5,
  end: 6,
};

export function compareEvents(a: HistoryEvent, b: HistoryEvent): number {
  return a.time - b.time || KIND_RANK[a.kind] - KIND_RANK[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Whether events (new to the session) can be applied one by one: each is newer than anything the
 * session has seen, its newest event and its end. At the same millisecond the store cannot tell the
 * order the fold would take, so it folds again.
 */
export function extendsHistory(session: SessionState, events: readonly LifecycleEvent[]): boolean {
  const seen = Math.max(session.lastEventAt ?? -Infinity, session.endedAt ?? -Infinity, session.statusAt ?? -Infinity);
  return events.every((e) => e.time > seen);
}

/** What the store keeps of a session that is not in its events: proof of life, the /clear link. */
export type KeptFields = Pick<SessionState, "aliveAt" | "parentSessionId">;

/** The session its history gives: every stored event folded in time order onto a new session. */
export function foldHistory(
  id: string,
  source: string,
  events: readonly HistoryEvent[],
  kept: KeptFields,
): SessionState {
  const base: SessionState = { ...newSession(id, source), ...kept };
  return [...events].sort(compareEvents).reduce<SessionState>(applyEvent, base);
}
