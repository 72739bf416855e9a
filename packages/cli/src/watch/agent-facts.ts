import { agentById, type AgentAdapter } from "@pulse/core/agents";

/**
 * How the watcher tells an agent's session process: the `process` facts of the agent's adapter
 * (`packages/core/src/agents/<agent>.ts`).
 */
export type ProcessFacts = AgentAdapter["process"];

const NONE: ProcessFacts = { names: [], never: [], ownHooks: [] };

/** The facts for an agent id (a session's source); an unknown source (e.g. `pulse run`'s) has none. */
export function processFacts(source: string): ProcessFacts {
  return agentById(source)?.process ?? NONE;
}

/**
 * Does this command line belong to a process that is never a session's own (a shared server)? Whole
 * arguments are compared, not substrings: `codex "fix the app-server"` is a TUI with a prompt.
 */
export function isNeverTheSession(argv: readonly string[], facts: ProcessFacts): boolean {
  return facts.never.length > 0 && argv.some((arg) => facts.never.includes(arg));
}
