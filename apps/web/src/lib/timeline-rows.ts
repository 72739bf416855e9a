import type { SessionJson, SessionEventJson } from "@pulse/core";

export type TimelineRow =
  | { type: "event"; event: SessionEventJson; gapMs: number | null }
  | { type: "turn"; key: string; time: string; number: number }
  | { type: "turn-end"; key: string; time: string }
  | { type: "end"; key: string; time: string; label: string }
  | { type: "reopen"; key: string; time: string };

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
 * reopening (an event after an end).
 */
export function timelineRows(
  session: Pick<SessionJson, "status" | "end_reason" | "ended_at">,
  events: readonly SessionEventJson[],
): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let previous: number | null = null;
  let ended = false;
  let turns = 0;
  for (const event of [...events].sort(byTime)) {
    const t = Date.parse(event.time);
    if (ended && event.kind !== "end") {
      rows.push({ type: "reopen", key: `reopen-${event.id}`, time: event.time });
      ended = false;
    }
    if (event.kind === "prompt")
      rows.push({ type: "turn", key: `turn-${event.id}`, time: event.time, number: ++turns });
    rows.push({ type: "event", event, gapMs: previous === null ? null : t - previous });
    if (event.kind === "turn_end") rows.push({ type: "turn-end", key: `turn-end-${event.id}`, time: event.time });
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
  if (inferred && !ended)
    rows.push({
      type: "end",
      key: "end-inferred",
      time: session.ended_at!,
      label: INFERRED_END_LABELS[session.end_reason!],
    });
  return rows;
}
