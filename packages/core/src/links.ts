/**
 * `/clear` in Claude Code ends one session id (SessionEnd reason "clear") and starts another
 * (SessionStart source "clear") in the same cwd, within milliseconds. The new session continues the
 * one that ended "clear" in the same cwd closest before it, within this window either side (the two
 * hooks run concurrently, and either event may land first).
 */
export const CLEAR_LINK_WINDOW_MS = 30_000;
export const CLEAR_REASON = "clear";
