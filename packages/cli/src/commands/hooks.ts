import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { AGENT_NAMES, AGENTS } from "../agents";
import type { AgentHooks, Scope } from "../agents/agent-hooks";
import { pulseHookCommand, pulseScriptPath } from "../agents/hook-command";
import { commandPaths } from "../agents/shell-words";
import { flag, type ParsedArgs, stringOption } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { loadFile, writeFileAtomically } from "../cli/config-file";
import { EXIT, UsageError } from "../cli/errors";
import { print, printJson, renderTable } from "../cli/output";
import { unifiedDiff } from "../cli/text-diff";
import { saveConnection } from "../env/save-connection";

const SCOPES: Scope[] = ["user", "project", "local"];

const agentOption = { type: "string", choices: AGENT_NAMES, valueName: AGENT_NAMES.join("|"), description: "which agent's configuration (default claude-code)" } as const;
const scopeOption = {
  type: "string",
  choices: SCOPES,
  valueName: "user|project|local",
  description: "user: ~/.claude/settings.json (default); project: ./.claude/settings.json; local: ./.claude/settings.local.json",
} as const;

function target(args: ParsedArgs, ctx: CommandContext): { agent: AgentHooks; scope: Scope; path: string } {
  const agent = AGENTS[stringOption(args, "agent") ?? "claude-code"];
  const scope = (stringOption(args, "scope") ?? "user") as Scope;
  if (!agent.scopes.includes(scope)) throw new UsageError(`--scope ${scope} is not available for ${agent.label}; use ${agent.scopes.join(" or ")}`);
  return { agent, scope, path: agent.path(scope, homedir(), ctx.cwd) };
}

/** ~ for the home directory in messages. */
const tilde = (path: string): string => {
  const home = homedir();
  return home && path.startsWith(home + "/") ? "~" + path.slice(home.length) : path;
};

function printDiff(before: string, after: string, path: string, ctx: CommandContext): void {
  const diff = unifiedDiff(before, after, { from: `${path} (now)`, to: `${path} (after)` });
  for (const line of diff.split("\n").slice(0, -1)) {
    if (line.startsWith("+") && !line.startsWith("+++")) print(ctx.paint("green", line));
    else if (line.startsWith("-") && !line.startsWith("---")) print(ctx.paint("red", line));
    else if (line.startsWith("@@")) print(ctx.paint("cyan", line));
    else print(line);
  }
}

export const installCommand: Command = {
  name: "hooks install",
  summary: "Install Pulse's hooks into an agent's settings (merged, idempotent, with a backup)",
  usage: "hooks install [--agent claude-code] [--scope user|project|local] [--dry-run]",
  options: { agent: agentOption, scope: scopeOption, "dry-run": { type: "boolean", description: "print the change as a diff and write nothing" } },
  details: `Keeps every existing setting and foreign hook. Running it twice changes nothing the second time.
The previous file is kept as <file>.pulse-backup; the new one is written atomically.
When PULSE_URL or PULSE_TOKEN are set, they are saved in $PULSE_HOME/config.json (mode 600) so the
hooks reach the server whatever environment the agent starts with.`,
  async run(args, ctx) {
    const { agent, path } = target(args, ctx);
    const file = loadFile(path);
    const command = pulseHookCommand(pulseScriptPath(), agent.hookArgs);
    const result = agent.install(file, command);
    if (!result.changed) {
      print(`Pulse's ${agent.label} hooks are already installed in ${tilde(file.path)}; nothing to do.`);
      return EXIT.OK;
    }
    if (flag(args, "dry-run")) {
      printDiff(file.text, result.text, tilde(file.path), ctx);
      print(ctx.paint("dim", "Dry run: nothing was written."));
      return EXIT.OK;
    }
    const { backup } = writeFileAtomically(file, result.text);
    const saved = saveConnection(ctx.home);
    print(`${ctx.paint("green", "✓")} Installed Pulse's ${agent.label} hooks in ${tilde(file.path)}`);
    if (backup) print(`  previous version kept in ${tilde(backup)}`);
    print(`  events go to ${ctx.config.url}${saved ? ` (saved in ${tilde(saved)})` : ""}`);
    print(`Running ${agent.label} sessions pick the hooks up when restarted. \`pulse doctor\` checks the whole setup.`);
    return EXIT.OK;
  },
};

export const uninstallCommand: Command = {
  name: "hooks uninstall",
  summary: "Remove Pulse's hooks from an agent's settings (and nothing else)",
  usage: "hooks uninstall [--agent claude-code] [--scope user|project|local] [--dry-run]",
  options: { agent: agentOption, scope: scopeOption, "dry-run": { type: "boolean", description: "print the change as a diff and write nothing" } },
  async run(args, ctx) {
    const { agent, path } = target(args, ctx);
    const file = loadFile(path);
    if (!file.exists) {
      print(`No ${tilde(file.path)}: nothing to uninstall.`);
      return EXIT.OK;
    }
    const result = agent.uninstall(file);
    if (!result.changed) {
      print(`No Pulse hooks in ${tilde(file.path)}; nothing to do.`);
      return EXIT.OK;
    }
    if (flag(args, "dry-run")) {
      printDiff(file.text, result.text, tilde(file.path), ctx);
      print(ctx.paint("dim", "Dry run: nothing was written."));
      return EXIT.OK;
    }
    const { backup } = writeFileAtomically(file, result.text);
    print(`${ctx.paint("green", "✓")} Removed ${result.removed} Pulse hook(s) from ${tilde(file.path)}`);
    if (backup) print(`  previous version kept in ${tilde(backup)}`);
    return EXIT.OK;
  },
};

export interface ScopeStatus {
  agent: string;
  scope: Scope;
  path: string;
  exists: boolean;
  installed: string[];
  missing: string[];
  complete: boolean;
  foreign_hooks: number;
  commands: string[];
  problems: string[];
}

/** Where Pulse's hooks are installed, for every agent and scope (or the chosen ones). */
export function collectHookStatus(cwd: string, agentName?: string): ScopeStatus[] {
  const statuses: ScopeStatus[] = [];
  for (const agent of agentName ? [AGENTS[agentName]] : Object.values(AGENTS)) {
    const current = pulseHookCommand(pulseScriptPath(), agent.hookArgs);
    for (const scope of agent.scopes) {
      const file = loadFile(agent.path(scope, homedir(), cwd));
      let status;
      try {
        status = agent.status(file);
      } catch (error) {
        statuses.push({ agent: agent.agent, scope, path: file.path, exists: file.exists, installed: [], missing: [], complete: false, foreign_hooks: 0, commands: [], problems: [(error as Error).message] });
        continue;
      }
      const problems = [...status.warnings];
      for (const command of status.commands) {
        for (const p of commandPaths(command)) if (!existsSync(p)) problems.push(`the hook runs ${p}, which does not exist: run \`pulse hooks install\` again`);
      }
      if (status.commands.length > 1) problems.push(`${status.commands.length} different Pulse commands installed: run \`pulse hooks install\` again to replace them with one`);
      else if (status.commands.length === 1 && status.commands[0] !== current) {
        problems.push("the installed command is not this CLI's (another checkout or node): `pulse hooks install` updates it");
      }
      if (status.installed.length > 0 && status.missing.length > 0) problems.push(`missing for ${status.missing.join(", ")}: run \`pulse hooks install\` again`);
      statuses.push({
        agent: agent.agent,
        scope,
        path: file.path,
        exists: file.exists,
        installed: status.installed,
        missing: status.missing,
        complete: status.installed.length > 0 && status.missing.length === 0,
        foreign_hooks: status.foreign,
        commands: status.commands,
        problems,
      });
    }
  }
  return statuses;
}

export const statusCommand: Command = {
  name: "hooks status",
  summary: "Show where Pulse's hooks are installed",
  usage: "hooks status [--agent claude-code] [--json]",
  options: { agent: agentOption, ...JSON_OPTION },
  details: "Exit code 0 when the hooks are fully installed somewhere, 1 when not.",
  async run(args, ctx) {
    const statuses = collectHookStatus(ctx.cwd, stringOption(args, "agent"));
    const ok = statuses.some((s) => s.complete);
    if (flag(args, "json")) {
      printJson(statuses);
      return ok ? EXIT.OK : EXIT.FAILURE;
    }
    const rows = statuses.map((s) => [
      s.agent,
      s.scope,
      tilde(s.path),
      !s.exists ? ctx.paint("dim", "no file") : s.complete ? ctx.paint("green", `installed (${s.installed.length} events)`) : s.installed.length ? ctx.paint("yellow", `partial (${s.installed.length}/${s.installed.length + s.missing.length})`) : ctx.paint("dim", "not installed"),
      String(s.foreign_hooks),
    ]);
    process.stdout.write(renderTable([{ header: "AGENT" }, { header: "SCOPE" }, { header: "FILE", shrink: true }, { header: "PULSE HOOKS" }, { header: "OTHER HOOKS", align: "right" }], rows, { maxWidth: ctx.columns, paint: ctx.paint }));
    for (const s of statuses) for (const problem of s.problems) print(`${ctx.paint("yellow", "!")} ${s.agent} ${s.scope}: ${problem}`);
    if (!ok) print("Pulse's hooks are not installed: run `pulse hooks install`.");
    return ok ? EXIT.OK : EXIT.FAILURE;
  },
};
