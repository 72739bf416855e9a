/**
 * The agent adapters (one file per agent). Zod-free: the CLI loads this module at run time as
 * `@pulse/core/agents`. A new agent is one file here, listed below, plus its fixtures.
 */
import { claudeCode } from "./claude-code";
import { codex } from "./codex";
import { gemini } from "./gemini";
import type { AgentAdapter } from "./types";

export type { AgentAdapter } from "./types";
export { isCodexNotify } from "./codex";

export const AGENTS = { "claude-code": claudeCode, codex, gemini } as const satisfies Record<string, AgentAdapter>;
export type AgentId = keyof typeof AGENTS;
export const AGENT_IDS = Object.keys(AGENTS) as AgentId[];

export function agentById(id: string): AgentAdapter | null {
  return Object.hasOwn(AGENTS, id) ? AGENTS[id as AgentId] : null;
}

/** The adapter whose OpenTelemetry service name this is (exact, or as a prefix: "claude-code-cli"). */
export function agentByServiceName(serviceName: string): AgentAdapter | null {
  const name = serviceName.toLowerCase();
  for (const agent of Object.values(AGENTS)) {
    if (agent.otel.serviceNames.some((s) => name === s || name.startsWith(`${s}-`) || name.startsWith(`${s}_`)))
      return agent;
  }
  // Older names seen in the wild: "claude_code", "codex-cli-rs"…
  if (/^claude[-_ ]?code/i.test(serviceName)) return AGENTS["claude-code"];
  if (/^codex/i.test(serviceName)) return AGENTS.codex;
  if (/^gemini/i.test(serviceName)) return AGENTS.gemini;
  return null;
}
