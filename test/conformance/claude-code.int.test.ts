/**
 * Conformance on the real Claude Code 2.1.197 (issue 9 item 6): driven headless and in a terminal
 * against a mock Anthropic server, hooks installed by `pulse hooks install` as a user does. The
 * cases are in cases/claude-code.ts; the never-timed-out ones run in timeouts.int.test.ts.
 */
import { claudeCodeCases } from "./cases/claude-code";
import { conformanceSuite } from "./suite";

conformanceSuite("claude-code", {
  file: "claude-code.int.test.ts",
  title: "Claude Code 2.1.197",
  cases: claudeCodeCases,
  names: Object.keys(claudeCodeCases),
});
