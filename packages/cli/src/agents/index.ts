import type { AgentHooks } from "./hook-targets";
import { claudeCodeHooks } from "./claude-code";
import { codexHooks } from "./codex";
import { geminiHooks } from "./gemini";

/** Agents whose configuration `pulse hooks` manages, by --agent name. */
export const AGENTS: Record<string, AgentHooks> = {
  "claude-code": claudeCodeHooks,
  codex: codexHooks,
  gemini: geminiHooks,
};

export const AGENT_NAMES = Object.keys(AGENTS);
