import type { AgentHooks } from "./agent-hooks";
import { claudeCodeHooks } from "./claude-code";

/** Agents whose configuration `pulse hooks` manages, by --agent name. */
export const AGENTS: Record<string, AgentHooks> = {
  "claude-code": claudeCodeHooks,
};

export const AGENT_NAMES = Object.keys(AGENTS);
