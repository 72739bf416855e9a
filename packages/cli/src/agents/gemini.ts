import { join } from "node:path";
import { AGENTS as ADAPTERS } from "@pulse/core/agents";
import type { AgentHooks } from "./hook-targets";
import { pulseHookCommand } from "./hook-command";
import { jsonHooksTarget } from "./json-hooks-target";

/** The Gemini CLI hook events Pulse installs: its adapter's list (packages/core/src/agents/gemini.ts). */
export const GEMINI_EVENTS = ADAPTERS.gemini.hookEvents;

/** Gemini CLI's hook timeout is in milliseconds. */
const HOOK_TIMEOUT_MS = 5000;

function hooksSwitchedOff(settings: Record<string, unknown>): string[] {
  const get = (a: string, b: string) => {
    const section = settings[a];
    return section && typeof section === "object" ? (section as Record<string, unknown>)[b] : undefined;
  };
  return get("hooksConfig", "enabled") === false || get("tools", "enableHooks") === false
    ? ["hooks are switched off in this file (hooksConfig.enabled / tools.enableHooks)"]
    : [];
}

export const geminiHooks: AgentHooks = {
  agent: "gemini",
  label: "Gemini CLI",
  scopes: ["user", "project"],
  afterInstall:
    'Gemini CLI versions where hooks are still experimental also need `"hooksConfig": {"enabled": true}` in settings.json.',
  targets(scope, home, cwd) {
    return [
      jsonHooksTarget({
        path: join(scope === "user" ? home : cwd, ".gemini", "settings.json"),
        events: GEMINI_EVENTS,
        entry: (_event, command) => ({ name: "pulse", type: "command", command, timeout: HOOK_TIMEOUT_MS }),
        command: (runtime) => pulseHookCommand(runtime.script, ["--agent", "gemini"], runtime.node),
        disabled: hooksSwitchedOff,
      }),
    ];
  },
};
