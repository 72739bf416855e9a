/**
 * Conformance on the real Gemini CLI 0.61 (issue 9 item 6): headless and in a terminal against a
 * mock Gemini API, in a trusted folder, hooks installed by `pulse hooks install` as a user does.
 */
import { geminiCases } from "./cases/gemini";
import { conformanceSuite } from "./suite";

conformanceSuite("gemini", {
  file: "gemini.int.test.ts",
  title: "Gemini CLI 0.61",
  cases: geminiCases,
  names: Object.keys(geminiCases),
});
