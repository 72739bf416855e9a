/**
 * All three agents on a stack with a short stale timeout (issue 9, liveness): a live session is
 * never "timed out" — idle 3× the timeout, a dialog open 3×, a tool running 2× — and an outage of
 * Pulse 2× the timeout ends only the agent that really died, at its true time. Each waiting case
 * also posts a control session without a watcher, which must be reaped: the reaper is really on.
 * The waiting cases run side by side (each its own user) to keep the suite short.
 */
import { claudeCodeTimeoutCases as claude } from "./cases/claude-code";
import { codexTimeoutCases as codex } from "./cases/codex";
import { geminiTimeoutCases as gemini } from "./cases/gemini";
import { SHORT_STALE_TIMEOUT_MINUTES, SHORT_TIMEOUT_STACK } from "./cases/helpers";
import { mixedSuite } from "./suite";

const IDLE = "idle at the prompt 3× the timeout: never ended, reopen_count 0";

mixedSuite({
  file: "timeouts.int.test.ts",
  title: `stale timeout ${SHORT_STALE_TIMEOUT_MINUTES * 60} s`,
  stack: SHORT_TIMEOUT_STACK,
  concurrent: [
    { agent: "claude-code", name: IDLE, run: claude[IDLE] },
    {
      agent: "claude-code",
      name: "permission dialog open 3× the timeout: never ended, still waiting·permission",
      run: claude["permission dialog open 3× the timeout: never ended, still waiting·permission"],
    },
    {
      agent: "claude-code",
      name: "tool running 2× the timeout: never ended, reopen_count 0",
      run: claude["tool running 2× the timeout: never ended, reopen_count 0"],
    },
    {
      agent: "codex",
      name: "TUI idle at the prompt 3× the timeout: never ended, reopen_count 0",
      run: codex["TUI idle at the prompt 3× the timeout: never ended, reopen_count 0"],
    },
    { agent: "gemini", name: IDLE, run: gemini[IDLE] },
  ],
  sequential: [
    {
      agent: "claude-code",
      name: "Pulse down 2× the timeout: the agent killed meanwhile is ended at its true time, the live one never",
      run: claude[
        "Pulse down 2× the timeout: the agent killed meanwhile is ended at its true time, the live one never"
      ],
    },
  ],
});
