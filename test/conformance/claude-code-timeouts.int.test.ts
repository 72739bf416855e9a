/**
 * Claude Code 2.1.197 on a stack with a short stale timeout (issue 9, liveness): a live session is
 * never "timed out" — idle, with a dialog open, with a long tool — and an outage of Pulse longer
 * than the timeout ends only the agent that really died, at its true time. The waiting cases run
 * side by side (each its own user) to keep the suite short.
 */
import { claudeCodeTimeoutCases, STALE_TIMEOUT_MINUTES } from "./cases/claude-code";
import { conformanceSuite } from "./suite";

const stack = { env: { SESSION_STALE_TIMEOUT_MINUTES: String(STALE_TIMEOUT_MINUTES), REAPER_INTERVAL_SECONDS: "1" } };

conformanceSuite("claude-code", {
  file: "claude-code-timeouts.int.test.ts",
  title: `Claude Code 2.1.197, stale timeout ${STALE_TIMEOUT_MINUTES * 60} s: live sessions`,
  cases: claudeCodeTimeoutCases,
  names: ["idle at the prompt 3× the timeout: never ended, reopen_count 0", "permission dialog open 3× the timeout: never ended, still waiting·permission", "tool running 2× the timeout: never ended, reopen_count 0"],
  concurrent: true,
  stack,
});

conformanceSuite("claude-code", {
  file: "claude-code-timeouts.int.test.ts",
  title: `Claude Code 2.1.197, stale timeout ${STALE_TIMEOUT_MINUTES * 60} s: Pulse down`,
  cases: claudeCodeTimeoutCases,
  names: ["Pulse down 2× the timeout: the agent killed meanwhile is ended at its true time, the live one never"],
  stack,
});
