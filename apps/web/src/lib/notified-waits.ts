/**
 * Which waits this browser has already notified of, so a wait (session id + waiting_since) is shown
 * once: kept in localStorage, which a reload and every tab of the same browser share. Pure over a
 * Storage-like store, so it is tested without a browser.
 */
export type WaitStore = Pick<Storage, "getItem" | "setItem">;

export const NOTIFIED_WAITS_KEY = "pulse:notified-waits";
/** A wait older than this is forgotten (it will not be notified again: the inbox only shows open waits). */
const KEEP_MS = 7 * 24 * 3_600_000;
/** Most waits remembered; the oldest go first. */
const MAX_KEPT = 500;

/** Wait key → when it was notified (epoch ms). A missing or damaged entry reads as none. */
export function readNotified(store: WaitStore): Record<string, number> {
  try {
    const parsed = JSON.parse(store.getItem(NOTIFIED_WAITS_KEY) ?? "{}") as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === "number"),
    );
  } catch {
    return {};
  }
}

/**
 * Claims a wait for notifying: true when no one (this tab before a reload, another tab) has, and it
 * is now recorded; false when it was already. Forgets old and surplus entries while writing.
 */
export function claimWait(store: WaitStore, key: string, nowMs: number): boolean {
  const notified = readNotified(store);
  if (key in notified) return false;
  notified[key] = nowMs;
  const kept = Object.entries(notified)
    .filter(([, at]) => nowMs - at < KEEP_MS)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_KEPT);
  store.setItem(NOTIFIED_WAITS_KEY, JSON.stringify(Object.fromEntries(kept)));
  return true;
}
