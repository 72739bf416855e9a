import type { SessionJson, SessionEventJson } from "@pulse/core";

export type TimelineRow =
  | { type: "event"; event: SessionEventJson; gapMs: number | null }
  | { type: "turn"; key: string; time: string; number: number }
  | { type: "turn-end"; key: string; time: string }
  | { type: "end"; key: string; time: string; label: string }
  | { type: "reopen"; key: string; time: string }
  | WaitRow;

/**
 * A wait (lifecycle rule 14), shown under the event that began it: from an attention or turn-end
 * event to the next event that set the session going (or ended it). `until` null: still waiting
 * (or its end is not among the events shown).
 */
export interface WaitRow {
  type: "wait";
  key: string;
  since: string;
  until: string | null;
  ms: number | null;
  /** A wait on the user (an attention event: permission, question, error), not a finished turn. */
  onUser: boolean;
}

/** Events that make a session waiting; a second one of the same kind goes on with the wait. */
const WAIT_KINDS = new Set(["attention", "turn_end"]);

/** Ends Pulse inferred, as the timeline says them (recorded as events `pulse.closed`, `pulse.stale`: lifecycle rule 13). */
const INFERRED_END_LABELS: Record<string, string> = {
  closed: "Session closed by hand, at its last sign of life",
  stale:
    "Session timed out: no event or proof of life for longer than the stale timeout, so the reaper ended it at its last sign of life",
};
const inferredReason = (name: string | null) =>
  name === "pulse.closed" ? "closed" : name === "pulse.stale" ? "stale" : null;

const byTime = (a: SessionEventJson, b: SessionEventJson) =>
  Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A session's events, oldest first, with what a reader looks for marked between them: each turn
 * (from a prompt to the agent's turn end), each end (Pulse's own, closed by hand or timed out, are
 * recorded as events; sessions ended before that have none, and get theirs from the session), each
 * reopening (an event after an end), and each wait with how long it lasted.
 */
export function timelineRows(
  session: Pick<SessionJson, "status" | "end_reason" | "ended_at">,
  events: readonly SessionEventJson[],
): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let previous: number | null = null;
  let ended = false;
  let turns = 0;
  let wait: { row: WaitRow; kind: string } | null = null;
  const endWait = (time: string) => {
    if (!wait) return;
    wait.row.until = time;
    wait.row.ms = Math.max(0, Date.parse(time) - Date.parse(wait.row.since));
    wait = null;
  };
  for (const event of [...events].sort(byTime)) {
    const t = Date.parse(event.time);
    const waits = WAIT_KINDS.has(event.kind);
    if (wait && (!waits || wait.kind !== event.kind)) endWait(event.time);
    if (ended && event.kind !== "end") {
      rows.push({ type: "reopen", key: `reopen-${event.id}`, time: event.time });
      ended = false;
    }
    if (event.kind === "prompt")
      rows.push({ type: "turn", key: `turn-${event.id}`, time: event.time, number: ++turns });
    rows.push({ type: "event", event, gapMs: previous === null ? null : t - previous });
    if (event.kind === "turn_end") rows.push({ type: "turn-end", key: `turn-end-${event.id}`, time: event.time });
    if (waits && !wait) {
      const row: WaitRow = {
        type: "wait",
        key: `wait-${event.id}`,
        since: event.time,
        until: null,
        ms: null,
        onUser: event.kind === "attention",
      };
      rows.push(row);
      wait = { row, kind: event.kind };
    }
    if (event.kind === "end") {
      const inferred = inferredReason(event.name);
      const label = inferred
        ? INFERRED_END_LABELS[inferred]
        : `Session ended${event.detail ? ` (${event.detail})` : ""}`;
      rows.push({ type: "end", key: `end-${event.id}`, time: event.time, label });
      ended = true;
    }
    previous = t;
  }
  const inferred =
    session.status === "ended" &&
    (session.end_reason === "closed" || session.end_reason === "stale") &&
    session.ended_at;
  // A wait still open when Pulse ended the session (closed, timed out) ended with it.
  if (session.status === "ended" && session.ended_at) endWait(session.ended_at);
  if (inferred && !ended)
    rows.push({
      type: "end",
      key: "end-inferred",
      time: session.ended_at!,
      label: INFERRED_END_LABELS[session.end_reason!],
    });
  return rows;
}
