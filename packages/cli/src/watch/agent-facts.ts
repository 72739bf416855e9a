/**
 * How the watcher tells an agent's session process, per agent: the `process` facts of the agent
 * adapters (contract 3, `packages/core/src/agents/<agent>.ts`). Kept here, in one place, until the CLI
 * build loads `@pulse/core/agents`; then `processFacts` becomes `AGENTS[source]?.process` (plus
 * `ownHooks`, which this file adds).
 */
export interface ProcessFacts {
  /** Executable names (basename of argv[0], or of the script a node process runs) that are this agent. */
  names: readonly string[];
  /**
   * Words of a command line that is never a session's process: a shared server that runs the hooks
   * of many sessions and outlives them (Codex's `codex app-server`). Its ancestors are not the session's
   * process either: the session's process is one of its clients.
   */
  never: readonly string[];
  /**
   * Subcommands that run their hooks in their own process (`codex exec`): such a process is found up
   * the hook's parent chain, so it is never the client a shared server runs a hook for.
   */
  ownHooks: readonly string[];
  /** The variable naming the agent's home (a shared server serves one), and its default under $HOME. */
  homeVariable?: { name: string; defaultDir: string };
}

const NONE: ProcessFacts = { names: [], never: [], ownHooks: [] };

const FACTS: Record<string, ProcessFacts> = {
  "claude-code": { names: ["claude"], never: [], ownHooks: [] },
  // Verified on Codex 0.171: the interactive TUI runs its turns (and hooks) in a background
  // `codex app-server --listen unix:// … --managed-daemon` that it starts or reuses and that outlives it;
  // `codex exec` and `codex --no-daemon` run their hooks themselves.
  codex: { names: ["codex"], never: ["app-server"], ownHooks: ["exec", "e"], homeVariable: { name: "CODEX_HOME", defaultDir: ".codex" } },
  gemini: { names: ["gemini"], never: [], ownHooks: [] },
};

/** The facts for an agent id (a session's source); an unknown source (e.g. `pulse run`'s) has none. */
export function processFacts(source: string): ProcessFacts {
  return Object.hasOwn(FACTS, source) ? FACTS[source] : NONE;
}

/**
 * Does this command line belong to a process that is never a session's own (a shared server)? Whole
 * arguments are compared, not substrings: `codex "fix the app-server"` is a TUI with a prompt.
 */
export function isNeverTheSession(argv: readonly string[], facts: ProcessFacts): boolean {
  return facts.never.length > 0 && argv.some((arg) => facts.never.includes(arg));
}
