import { homedir } from "node:os";
import { AGENT_NAMES, AGENTS } from "../agents";
import type { AgentHooks, ConfigTarget, HookRuntime, Scope } from "../agents/hook-targets";
import { pulseScriptPath } from "../agents/hook-command";
import { flag, type ParsedArgs, stringOption } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { loadFile, type LoadedFile, writeFileAtomically } from "../cli/config-file";
import { EXIT, UsageError } from "../cli/errors";
import { print, printJson, renderTable } from "../cli/output";
import { unifiedDiff } from "../cli/text-diff";
import { saveConnection } from "../env/save-connection";

const SCOPES: Scope[] = ["user", "project", "local"];

const agentOption = {
  type: "string",
  choices: AGENT_NAMES,
  valueName: AGENT_NAMES.join("|"),
  description: "which agent (default claude-code)",
} as const;
const scopeOption = {
  type: "string",
  choices: SCOPES,
  valueName: "user|project|local",
  description:
    "user: your settings in ~ (default); project: ./.claude (./.codex, ./.gemini); local: ./.claude/settings.local.json",
} as const;
const dryRunOption = { type: "boolean", description: "print the change as a diff and write nothing" } as const;

const runtime = (): HookRuntime => ({ node: process.execPath, script: pulseScriptPath() });

function chosen(args: ParsedArgs): { agent: AgentHooks; scope: Scope } {
  const agent = AGENTS[stringOption(args, "agent") ?? "claude-code"];
  const scope = (stringOption(args, "scope") ?? "user") as Scope;
  if (!agent.scopes.includes(scope))
    throw new UsageError(`--scope ${scope} is not available for ${agent.label}; use ${agent.scopes.join(" or ")}`);
  return { agent, scope };
}

/** ~ for the home directory in messages. */
export const tilde = (path: string): string => {
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

interface PlannedChange {
  target: ConfigTarget;
  file: LoadedFile;
  text: string;
  changed: boolean;
  note?: string;
  removed?: number;
}

/** Computes every file's new text first, so a file Pulse cannot parse stops the command before any write. */
function plan(agent: AgentHooks, scope: Scope, ctx: CommandContext, action: "install" | "uninstall"): PlannedChange[] {
  return agent.targets(scope, homedir(), ctx.cwd, process.env).map((target) => {
    const file = loadFile(target.path);
    if (action === "install") return { target, file, ...target.install(file, runtime()) };
    if (!file.exists) return { target, file, text: "", changed: false, removed: 0 };
    return { target, file, ...target.uninstall(file) };
  });
}

export const installCommand: Command = {
  name: "hooks install",
  summary: "Install Pulse's hooks into an agent's settings (merged, idempotent, with a backup)",
  usage: "hooks install [--agent claude-code|codex|gemini] [--scope user|project|local] [--dry-run]",
  options: { agent: agentOption, scope: scopeOption, "dry-run": dryRunOption },
  details: `Files written:
  claude-code  ~/.claude/settings.json (project: ./.claude/settings.json, local: ./.claude/settings.local.json)
  codex        $CODEX_HOME/hooks.json and notify in $CODEX_HOME/config.toml (default ~/.codex; project: ./.codex/hooks.json)
  gemini       ~/.gemini/settings.json (project: ./.gemini/settings.json)
Keeps every existing setting and foreign hook. Running it twice changes nothing the second time.
The previous file is kept as <file>.pulse-backup; the new one is written atomically.
When PULSE_URL, PULSE_TOKEN or PULSE_CA_FILE are set, they are saved in $PULSE_HOME/config.json
(mode 600) so the hooks reach the server whatever environment the agent starts with.`,
  async run(args, ctx) {
    const { agent, scope } = chosen(args);
    const changes = plan(agent, scope, ctx, "install");
    for (const change of changes) if (change.note) print(ctx.paint("yellow", `! ${change.note}`));
    const pending = changes.filter((c) => c.changed);
    if (flag(args, "dry-run")) {
      if (pending.length) return showDryRun(pending, ctx);
      print(
        `Pulse's ${agent.label} hooks are already installed (${changes.map((c) => tilde(c.file.path)).join(", ")}); nothing to do.`,
      );
      return EXIT.OK;
    }
    // Saved whether or not the hooks change: re-running install with a new PULSE_URL is how a user
    // points the hooks at another server.
    const saved = saveConnection(ctx.home);
    if (pending.length === 0) {
      print(
        `Pulse's ${agent.label} hooks are already installed (${changes.map((c) => tilde(c.file.path)).join(", ")}).`,
      );
      print(
        saved?.changed.length
          ? `${ctx.paint("green", "✓")} Saved ${describeSaved(saved.changed)} in ${tilde(saved.path)}: events now go to ${ctx.config.url}`
          : `Nothing to do; events go to ${ctx.config.url}.`,
      );
      return EXIT.OK;
    }
    for (const change of pending) {
      const { backup } = writeFileAtomically(change.file, change.text);
      print(
        `${ctx.paint("green", "✓")} Installed Pulse's ${agent.label} ${change.target.what} in ${tilde(change.file.path)}`,
      );
      if (backup) print(`  previous version kept in ${tilde(backup)}`);
    }
    print(`  events go to ${ctx.config.url}${saved ? ` (saved in ${tilde(saved.path)})` : ""}`);
    if (agent.afterInstall) print(agent.afterInstall);
    print(`Running ${agent.label} sessions pick the hooks up when restarted. \`pulse doctor\` checks the whole setup.`);
    return EXIT.OK;
  },
};

/** "PULSE_URL and PULSE_TOKEN" for the keys saveConnection changed (never the token itself). */
function describeSaved(keys: string[]): string {
  const names = keys.map((k) => ({ url: "PULSE_URL", token: "PULSE_TOKEN", ca_file: "PULSE_CA_FILE" })[k] ?? k);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0];
}

/** `--dry-run`: the change as a diff per file, nothing written. */
function showDryRun(pending: ReturnType<typeof plan>, ctx: Parameters<Command["run"]>[1]): number {
  for (const change of pending) printDiff(change.file.text, change.text, tilde(change.file.path), ctx);
  print(ctx.paint("dim", "Dry run: nothing was written."));
  return EXIT.OK;
}

export const uninstallCommand: Command = {
  name: "hooks uninstall",
  summary: "Remove Pulse's hooks from an agent's settings (and nothing else)",
  usage: "hooks uninstall [--agent claude-code|codex|gemini] [--scope user|project|local] [--dry-run]",
  options: { agent: agentOption, scope: scopeOption, "dry-run": dryRunOption },
  async run(args, ctx) {
    const { agent, scope } = chosen(args);
    const changes = plan(agent, scope, ctx, "uninstall");
    const pending = changes.filter((c) => c.changed);
    if (pending.length === 0) {
      print(`No Pulse hooks in ${changes.map((c) => tilde(c.file.path)).join(", ")}; nothing to do.`);
      return EXIT.OK;
    }
    if (flag(args, "dry-run")) return showDryRun(pending, ctx);
    for (const change of pending) {
      const { backup } = writeFileAtomically(change.file, change.text);
      print(`${ctx.paint("green", "✓")} Removed ${change.removed} Pulse hook(s) from ${tilde(change.file.path)}`);
      if (backup) print(`  previous version kept in ${tilde(backup)}`);
    }
    return EXIT.OK;
  },
};

export interface TargetReport {
  agent: string;
  scope: Scope;
  what: string;
  path: string;
  exists: boolean;
  installed: string[];
  missing: string[];
  complete: boolean;
  foreign_hooks: number;
  problems: string[];
}

/** Where Pulse's hooks are installed, for every agent, scope and file (or one agent's). */
export function collectHookStatus(cwd: string, agentName?: string): TargetReport[] {
  const reports: TargetReport[] = [];
  for (const agent of agentName ? [AGENTS[agentName]] : Object.values(AGENTS)) {
    for (const scope of agent.scopes) {
      for (const target of agent.targets(scope, homedir(), cwd, process.env)) {
        const file = loadFile(target.path);
        const base = { agent: agent.agent, scope, what: target.what, path: file.path, exists: file.exists };
        try {
          const status = target.status(file, runtime());
          reports.push({
            ...base,
            installed: status.installed,
            missing: status.missing,
            complete: status.installed.length > 0 && status.missing.length === 0,
            foreign_hooks: status.foreign,
            problems: status.problems,
          });
        } catch (error) {
          reports.push({
            ...base,
            installed: [],
            missing: [],
            complete: false,
            foreign_hooks: 0,
            problems: [(error as Error).message],
          });
        }
      }
    }
  }
  return reports;
}

export const statusCommand: Command = {
  name: "hooks status",
  summary: "Show where Pulse's hooks are installed",
  usage: "hooks status [--agent claude-code|codex|gemini] [--json]",
  options: { agent: agentOption, ...JSON_OPTION },
  details: "Exit code 0 when some agent's hooks are fully installed somewhere, 1 when none are.",
  async run(args, ctx) {
    const reports = collectHookStatus(ctx.cwd, stringOption(args, "agent"));
    const ok = reports.some((r) => r.complete);
    if (flag(args, "json")) {
      printJson(reports);
      return ok ? EXIT.OK : EXIT.FAILURE;
    }
    const rows = reports.map((r) => [
      r.agent,
      r.scope,
      r.what,
      tilde(r.path),
      !r.exists
        ? ctx.paint("dim", "no file")
        : r.complete
          ? ctx.paint("green", r.what === "hooks" ? `installed (${r.installed.length} events)` : "installed")
          : r.installed.length
            ? ctx.paint("yellow", `partial (${r.installed.length}/${r.installed.length + r.missing.length})`)
            : ctx.paint("dim", "not installed"),
      String(r.foreign_hooks),
    ]);
    process.stdout.write(
      renderTable(
        [
          { header: "AGENT" },
          { header: "SCOPE" },
          { header: "WHAT" },
          { header: "FILE", shrink: true },
          { header: "PULSE" },
          { header: "OTHERS", align: "right" },
        ],
        rows,
        { maxWidth: ctx.columns, paint: ctx.paint },
      ),
    );
    for (const r of reports)
      for (const problem of r.problems)
        print(`${ctx.paint("yellow", "!")} ${r.agent} ${r.scope} ${r.what}: ${problem}`);
    if (!ok) print("Pulse's hooks are not installed: run `pulse hooks install`.");
    return ok ? EXIT.OK : EXIT.FAILURE;
  },
};
