/**
 * Conformance on the real Claude Code 2.1.197 (issue 9 item 6): driven headless and in a terminal
 * against a mock Anthropic server, hooks installed by `pulse hooks install` as a user does. The
 * cases (cases/claude-code.ts) that pass today; the others wait in claude-code-pending.int.test.ts.
 */
import { claudeCodeCases } from "./cases/claude-code";
import { conformanceSuite } from "./suite";

conformanceSuite("claude-code", {
  file: "claude-code.int.test.ts",
  title: "Claude Code 2.1.197",
  cases: claudeCodeCases,
  names: [
    "headless -p with a tool: one session titled by its prompt, ended·session_end at its true end",
    "/exit → ended·session_end ≤ 2 s",
    "Ctrl+C (twice, as Claude asks) → ended ≤ 2 s",
    "kill -9 → ended·process_exit ≤ 5 s",
    "closed terminal (SIGHUP) → ended ≤ 2 s",
    "/clear → the old session ended·session_end, a new one continues it",
    "permission denied (No) → waiting·interrupted ≤ 2 s",
    "Esc during a running tool → waiting·interrupted ≤ 2 s",
    "Esc while the model streams → waiting·interrupted ≤ 2 s",
    "the model Claude Code runs (SessionStart's model) is the session's model",
    "OTel on (pulse otel env): after a turn it stays waiting, titled by the real prompt, tokens counted",
    "/exit while ingest is down, ingest back → ended·session_end at the true time ≤ 15 s after",
    "pulse doctor does not pass while the spool holds undelivered events",
    "hooks while ingest hangs: a one-tool turn is not slowed (≤ 100 ms a hook); events arrive once it answers",
    "re-running pulse hooks install with a new PULSE_URL saves it",
  ],
});
