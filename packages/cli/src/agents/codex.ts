import { homedir } from "node:os";
import { join } from "node:path";
import { AGENTS as ADAPTERS } from "@pulse/core/agents";
import type { AgentHooks, ConfigTarget, HookRuntime, TargetStatus } from "./hook-targets";
import { pulseHookCommand } from "./hook-command";
import { jsonHooksTarget } from "./json-hooks-target";
import { findTopLevelKey, scanToml, tableValue, tomlString } from "./toml-lines";

/**
 * The Codex hook events Pulse installs in hooks.json: its adapter's list (packages/core/src/agents/codex.ts,
 * what 0.171 fires, SessionEnd and Interrupt included). Each must be trusted in Codex before it runs.
 */
export const CODEX_EVENTS = ADAPTERS.codex.hookEvents;

const HOOK_TIMEOUT_SECONDS = 5;
/** Codex 0.171 clamps these events' hooks to 3 s, with a startup warning the user sees ("⚠ 2 warnings"). */
const SHORT_TIMEOUT_EVENTS: Record<string, number> = { SessionEnd: 3, Interrupt: 3 };

export const codexHome = (env: NodeJS.ProcessEnv): string => env.CODEX_HOME || join(homedir(), ".codex");

/**
 * Codex runs `notify` directly (no shell) with the JSON payload appended as the last argument, so the
 * program is an argv list; /usr/bin/env clears NODE_EXTRA_CA_CERTS as the shell hooks do.
 */
export function notifyArgv(runtime: HookRuntime): string[] {
  return ["/usr/bin/env", "NODE_EXTRA_CA_CERTS=", runtime.node, runtime.script, "hook", "--agent", "codex"];
}

const notifyLine = (runtime: HookRuntime): string => `notify = [${notifyArgv(runtime).map(tomlString).join(", ")}]`;

/** A notify value is Pulse's when it runs `pulse.js hook` / `pulse hook`. */
export const isPulseNotify = (value: string): boolean => /pulse(\.js)?"\s*,\s*"hook"/.test(value);

function hooksSwitchedOff(text: string): string[] {
  const toml = scanToml(text);
  const off =
    tableValue(toml, "features", "hooks") === "false" || tableValue(toml, "features", "codex_hooks") === "false";
  return off ? ["Codex hooks are switched off here ([features] hooks = false): only notify reports to Pulse"] : [];
}

/** `notify = [...]` in config.toml: the one Codex hook older versions have (turn ends only). */
export function codexNotifyTarget(path: string): ConfigTarget {
  return {
    what: "notify",
    path,
    install(file, runtime) {
      const toml = scanToml(file.text);
      const existing = findTopLevelKey(toml, "notify");
      const line = notifyLine(runtime);
      if (existing && !isPulseNotify(existing.text)) {
        return {
          text: file.text,
          changed: false,
          note: `${path} has a notify program of its own; left as it is (Codex's hooks still report turn ends)`,
        };
      }
      if (existing) {
        if (existing.text === line) return { text: file.text, changed: false };
        const lines = [...toml.lines];
        lines.splice(existing.start, existing.end - existing.start + 1, line);
        return { text: lines.join("\n"), changed: true };
      }
      // A top-level key must come before the first table; comments right above that table stay with it.
      let at = toml.firstTable;
      while (at > 0 && /^\s*#/.test(toml.lines[at - 1])) at--;
      const lines = [...toml.lines];
      if (file.text === "") return { text: line + "\n", changed: true };
      if (at >= lines.length) {
        const body = file.text.endsWith("\n") ? file.text : file.text + "\n";
        return { text: body + line + "\n", changed: true };
      }
      lines.splice(at, 0, line, ...(at < lines.length && lines[at].trim() !== "" ? [""] : []));
      return { text: lines.join("\n"), changed: true };
    },
    uninstall(file) {
      const toml = scanToml(file.text);
      const existing = findTopLevelKey(toml, "notify");
      if (!existing || !isPulseNotify(existing.text)) return { text: file.text, changed: false, removed: 0 };
      const lines = [...toml.lines];
      let count = existing.end - existing.start + 1;
      // Do not leave two blank lines where the key was.
      if (lines[existing.end + 1]?.trim() === "" && (existing.start === 0 || lines[existing.start - 1].trim() === ""))
        count++;
      lines.splice(existing.start, count);
      return { text: lines.join("\n"), changed: true, removed: 1 };
    },
    status(file, runtime): TargetStatus {
      const existing = findTopLevelKey(scanToml(file.text), "notify");
      const problems = hooksSwitchedOff(file.text);
      if (!existing) return { installed: [], missing: ["notify"], foreign: 0, problems };
      if (!isPulseNotify(existing.text)) return { installed: [], missing: [], foreign: 1, problems };
      if (existing.text !== notifyLine(runtime))
        problems.push(
          "notify runs another Pulse checkout or node: `pulse hooks install --agent codex` points it at this one",
        );
      return { installed: ["notify"], missing: [], foreign: 0, problems };
    },
  };
}

export const codexHooks: AgentHooks = {
  agent: "codex",
  label: "Codex",
  scopes: ["user", "project"],
  afterInstall:
    "Codex runs new hooks only once you trust them: start `codex` and trust them when it asks (or in /hooks); `codex exec` never asks. `pulse doctor` says whether Codex trusts them.",
  targets(scope, _home, cwd, env) {
    const dir = scope === "user" ? codexHome(env) : join(cwd, ".codex");
    const hooks = jsonHooksTarget({
      path: join(dir, "hooks.json"),
      events: CODEX_EVENTS,
      entry: (event, command) => ({
        type: "command",
        command,
        timeout: SHORT_TIMEOUT_EVENTS[event] ?? HOOK_TIMEOUT_SECONDS,
      }),
      command: (runtime) => pulseHookCommand(runtime.script, ["--agent", "codex"], runtime.node),
    });
    // notify is a user-level setting: one program for every Codex session.
    return scope === "user" ? [hooks, codexNotifyTarget(join(dir, "config.toml"))] : [hooks];
  },
};
