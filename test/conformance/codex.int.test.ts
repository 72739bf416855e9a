/**
 * Conformance on the real Codex CLI 0.171 (issue 9 item 6): `codex exec` and the TUI (default mode,
 * with its shared background app-server) against a mock Responses server, hooks installed by
 * `pulse hooks install` and trusted in the TUI's review dialog as a user does.
 */
import { codexCases } from "./cases/codex";
import { conformanceSuite } from "./suite";

conformanceSuite("codex", {
  file: "codex.int.test.ts",
  title: "Codex CLI 0.171",
  cases: codexCases,
  names: Object.keys(codexCases),
});
