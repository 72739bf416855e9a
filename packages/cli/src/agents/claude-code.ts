import { join } from "node:path";
import { AGENTS as ADAPTERS } from "@pulse/core/agents";
import type { AgentHooks } from "./hook-targets";
import { pulseHookCommand } from "./hook-command";
import { jsonHooksTarget } from "./json-hooks-target";

/** The Claude Code hook events Pulse installs: its adapter's list (packages/core/src/agents/claude-code.ts). */
export const CLAUDE_CODE_EVENTS = ADAPTERS["claude-code"].hookEvents;

/** Claude Code kills a hook after this many seconds; `pulse hook` exits within one. */
const HOOK_TIMEOUT_SECONDS = 5;

export const claudeCodeHooks: AgentHooks = {
  agent: "claude-code",
  label: "Claude Code",
  scopes: ["user", "project", "local"],
  targets(scope, home, cwd) {
    const path =
      scope === "user"
        ? join(home, ".claude", "settings.json")
        : join(cwd, ".claude", scope === "local" ? "settings.local.json" : "settings.json");
    return [
      jsonHooksTarget({
        path,
        events: CLAUDE_CODE_EVENTS,
        // No matcher: Claude Code then runs the hook for every tool, notification type and source.
        entry: (_event, command) => ({ type: "command", command, timeout: HOOK_TIMEOUT_SECONDS }),
        command: (runtime) => pulseHookCommand(runtime.script, [], runtime.node),
        disabled: (settings) =>
          settings.disableAllHooks === true ? ["disableAllHooks is true in this file: Claude Code runs no hooks"] : [],
      }),
    ];
  },
};
