import { join } from "node:path";
import { detectIndent, parseJsonSettings, renderJson } from "../cli/config-file";
import type { AgentHooks } from "./agent-hooks";
import { installJsonHooks, type JsonHooksSpec, jsonHooksStatus, uninstallJsonHooks } from "./json-hooks";

/** Every Claude Code hook event Pulse listens to (issue 4). */
export const CLAUDE_CODE_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PostToolUse",
  "Notification",
  "Stop",
  "SubagentStart",
  "SubagentStop",
  "PreCompact",
  "SessionEnd",
] as const;

/** Claude Code kills a hook after this many seconds; `pulse hook` exits within one. */
const HOOK_TIMEOUT_SECONDS = 5;

/** No matcher: Claude Code then runs the hook for every tool, notification type and source. */
export function claudeHooksSpec(file: string, command: string): JsonHooksSpec {
  return { file, events: CLAUDE_CODE_EVENTS, entry: () => ({ type: "command", command, timeout: HOOK_TIMEOUT_SECONDS }) };
}

export const claudeCodeHooks: AgentHooks = {
  agent: "claude-code",
  label: "Claude Code",
  scopes: ["user", "project", "local"],
  hookArgs: [],
  path(scope, home, cwd) {
    if (scope === "user") return join(home, ".claude", "settings.json");
    return join(cwd, ".claude", scope === "local" ? "settings.local.json" : "settings.json");
  },
  install(file, command) {
    const result = installJsonHooks(parseJsonSettings(file), claudeHooksSpec(file.path, command));
    return { text: result.changed ? renderJson(result.settings, detectIndent(file.text)) : file.text, changed: result.changed };
  },
  uninstall(file) {
    const result = uninstallJsonHooks(parseJsonSettings(file), { file: file.path });
    return { text: result.changed ? renderJson(result.settings, detectIndent(file.text)) : file.text, changed: result.changed, removed: result.removed };
  },
  status(file) {
    const settings = parseJsonSettings(file);
    const status = jsonHooksStatus(settings, { file: file.path, events: CLAUDE_CODE_EVENTS });
    const warnings = settings.disableAllHooks === true ? ["disableAllHooks is true in this file: Claude Code runs no hooks"] : [];
    return { ...status, warnings };
  },
};
