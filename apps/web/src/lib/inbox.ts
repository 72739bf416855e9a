import { needsYou } from "@pulse/core/display";
import type { SessionJson } from "@pulse/core";

/** The settle time when the settings cannot be read (the API's default). */
export const DEFAULT_SETTLE_SECONDS = 5;

/** A session waits on the user (lifecycle rule 14's needs-you reasons), and since when (epoch ms). */
export function waitStart(session: Pick<SessionJson, "status" | "waiting_reason" | "waiting_since">): number | null {
  if (session.status !== "waiting" || !needsYou(session.waiting_reason) || !session.waiting_since) return null;
  const t = Date.parse(session.waiting_since);
  return Number.isNaN(t) ? null : t;
}

/** One wait: a session and the start of its current wait. Notifications are sent once per wait. */
export const waitKey = (session: Pick<SessionJson, "id" | "waiting_since">) =>
  `${session.id}@${session.waiting_since ?? ""}`;

/**
 * The "Needs you" inbox at `nowMs`: open sessions waiting on the user whose wait has lasted the
 * settle time (a permission answered at once is not news), oldest wait first.
 */
export function inboxEntries<S extends SessionJson>(sessions: readonly S[], nowMs: number, settleSeconds: number): S[] {
  const settleMs = settleSeconds * 1000;
  return sessions
    .map((session) => ({ session, since: waitStart(session) }))
    .filter((e): e is { session: S; since: number } => e.since !== null && nowMs - e.since >= settleMs)
    .sort((a, b) => a.since - b.since || (a.session.id < b.session.id ? -1 : 1))
    .map((e) => e.session);
}

/** When the next wait not shown yet reaches the settle time (epoch ms), or null when none is settling. */
export function nextSettleAt(sessions: readonly SessionJson[], nowMs: number, settleSeconds: number): number | null {
  let next: number | null = null;
  for (const session of sessions) {
    const since = waitStart(session);
    if (since === null) continue;
    const at = since + settleSeconds * 1000;
    if (at > nowMs && (next === null || at < next)) next = at;
  }
  return next;
}

/**
 * The waiting sessions the inbox reads, after a live change (the newest copy of a session: fetches
 * that read before it get it written again, see LiveCache): a session that waits is put in or
 * replaced, one that no longer waits leaves. Returns the same array when nothing changed.
 */
export function placeWaiting(list: readonly SessionJson[], session: SessionJson): readonly SessionJson[] {
  const index = list.findIndex((s) => s.id === session.id);
  if (session.status !== "waiting") return index >= 0 ? list.filter((_, i) => i !== index) : list;
  if (index < 0) return [...list, session];
  const next = [...list];
  next[index] = session;
  return next;
}
