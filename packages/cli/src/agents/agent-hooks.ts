import type { LoadedFile } from "../cli/config-file";

export type Scope = "user" | "project" | "local";

/** Pulse's hooks in one agent's config file, as `pulse hooks status` reports them. */
export interface AgentHooksStatus {
  /** What is installed, e.g. ["SessionStart", …] or ["notify"]. */
  installed: string[];
  /** What Pulse would install and is not there. */
  missing: string[];
  /** Distinct Pulse commands found: more than one means an outdated install. */
  commands: string[];
  /** Hooks that are not Pulse's (kept untouched). */
  foreign: number;
  /** Something Pulse cannot change that stops its hooks from working, e.g. hooks disabled. */
  warnings: string[];
}

/** How Pulse's hooks get into (and out of) one agent's configuration. Text in, text out: formats differ. */
export interface AgentHooks {
  agent: string;
  label: string;
  scopes: readonly Scope[];
  path(scope: Scope, home: string, cwd: string): string;
  /** The new text with Pulse's hooks merged in; `changed` false when they are there already. */
  install(file: LoadedFile, command: string): { text: string; changed: boolean };
  uninstall(file: LoadedFile): { text: string; changed: boolean; removed: number };
  status(file: LoadedFile): AgentHooksStatus;
  /** Arguments of `pulse hook` for this agent, e.g. ["--agent", "gemini"]. */
  hookArgs: string[];
}
