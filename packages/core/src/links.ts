/**
 * `/clear` in Claude Code ends one session id (SessionEnd reason "clear") and starts another
 * (SessionStart source "clear") in the same cwd, within milliseconds. The new session continues the
 * one that ended "clear" in the same cwd closest before it, within this window either side (the two
 * hooks run concurrently, and either event may land first).
 */
export const CLEAR_LINK_WINDOW_MS = 30_000;
export const CLEAR_REASON = "clear";

/** Whether an event is one side of a `/clear`: the old session's end or the new one's start. */
export function isClearBoundary(event: { kind: string; detail: string | null; end_detail: string | null }): boolean {
  return (
    (event.kind === "start" && event.detail === CLEAR_REASON) ||
    (event.kind === "end" && event.end_detail === CLEAR_REASON)
  );
}
