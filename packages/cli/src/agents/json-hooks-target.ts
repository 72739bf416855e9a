import { existsSync } from "node:fs";
import { detectIndent, parseJsonSettings, renderJson } from "../cli/config-file";
import type { ConfigTarget, HookRuntime, TargetStatus } from "./hook-targets";
import { installJsonHooks, type JsonHooksSpec, jsonHooksStatus, uninstallJsonHooks } from "./json-hooks";
import { commandPaths } from "./shell-words";

export interface JsonHooksTargetOptions {
  path: string;
  events: readonly string[];
  /** The hook entry for an event, given the command line to run. */
  entry(event: string, command: string): Record<string, unknown>;
  /** The command line for this runtime. */
  command(runtime: HookRuntime): string;
  /** Settings in the same file that stop hooks from running, as problems to report. */
  disabled?(settings: Record<string, unknown>): string[];
}

/** A JSON settings file with Claude-Code-shaped hooks (Claude Code, Codex hooks.json, Gemini CLI). */
export function jsonHooksTarget(options: JsonHooksTargetOptions): ConfigTarget {
  const spec = (command: string): JsonHooksSpec => ({
    file: options.path,
    events: options.events,
    entry: (event) => options.entry(event, command),
  });
  return {
    what: "hooks",
    path: options.path,
    install(file, runtime) {
      const result = installJsonHooks(parseJsonSettings(file), spec(options.command(runtime)));
      return {
        text: result.changed ? renderJson(result.settings, detectIndent(file.text)) : file.text,
        changed: result.changed,
      };
    },
    uninstall(file) {
      const result = uninstallJsonHooks(parseJsonSettings(file), { file: file.path });
      return {
        text: result.changed ? renderJson(result.settings, detectIndent(file.text)) : file.text,
        changed: result.changed,
        removed: result.removed,
      };
    },
    status(file, runtime): TargetStatus {
      const settings = parseJsonSettings(file);
      const status = jsonHooksStatus(settings, { file: file.path, events: options.events });
      const problems = [...(options.disabled?.(settings) ?? [])];
      for (const command of status.commands) {
        for (const path of commandPaths(command))
          if (!existsSync(path))
            problems.push(`the hook runs ${path}, which does not exist: run \`pulse hooks install\` again`);
      }
      if (status.commands.length > 1)
        problems.push(
          `${status.commands.length} different Pulse commands: \`pulse hooks install\` replaces them with one`,
        );
      else if (status.commands.length === 1 && status.commands[0] !== options.command(runtime))
        problems.push("the hook runs another Pulse checkout or node: `pulse hooks install` points it at this one");
      if (status.installed.length > 0 && status.missing.length > 0)
        problems.push(`no hook for ${status.missing.join(", ")}: run \`pulse hooks install\` again`);
      return { installed: status.installed, missing: status.missing, foreign: status.foreign, problems };
    },
  };
}
