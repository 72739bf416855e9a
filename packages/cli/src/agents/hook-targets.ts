import type { LoadedFile } from "../cli/config-file";

export type Scope = "user" | "project" | "local";

/** What a hook needs to run this CLI: the node binary and the built pulse.js. */
export interface HookRuntime {
  node: string;
  script: string;
}

/** Pulse's entries in one config file, as `pulse hooks status` reports them. */
export interface TargetStatus {
  /** What is installed, e.g. ["SessionStart", …] or ["notify"]. */
  installed: string[];
  /** What Pulse would install and is not there. */
  missing: string[];
  /** Entries that are not Pulse's (kept untouched). */
  foreign: number;
  /** Things to fix: an outdated command, hooks disabled in the same file… */
  problems: string[];
}

/** One file of an agent's configuration that Pulse writes its hooks into. Text in, text out: formats differ. */
export interface ConfigTarget {
  /** What it holds for Pulse, e.g. "hooks" or "notify". */
  what: string;
  path: string;
  install(file: LoadedFile, runtime: HookRuntime): { text: string; changed: boolean; note?: string };
  uninstall(file: LoadedFile): { text: string; changed: boolean; removed: number };
  status(file: LoadedFile, runtime: HookRuntime): TargetStatus;
}

/** An agent whose configuration `pulse hooks` manages. */
export interface AgentHooks {
  agent: string;
  label: string;
  scopes: readonly Scope[];
  /** The files Pulse writes for this scope. */
  targets(scope: Scope, home: string, cwd: string, env: NodeJS.ProcessEnv): ConfigTarget[];
  /** Said after an install: what the user still has to do in the agent, if anything. */
  afterInstall?: string;
}
