import type { Command } from "./command";

function optionLines(command: Command): string[] {
  const rows = Object.entries(command.options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.valueName ?? "VALUE"}` : ""}`,
    spec.description,
  ]);
  rows.push(["-h, --help", "show this help"]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, description]) => `  ${label.padEnd(width)}  ${description}`);
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: pulse ${command.usage}`, "", command.summary];
  lines.push("", "Options:", ...optionLines(command));
  if (command.details) lines.push("", command.details.trim());
  return lines.join("\n") + "\n";
}

function commandList(commands: Command[]): string[] {
  const width = Math.max(...commands.map((c) => c.name.length));
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
}

export function mainHelp(commands: Command[]): string {
  return [
    "Usage: pulse <command> [options]",
    "",
    "Connects coding agents (Claude Code, Codex, Gemini CLI) to a Pulse server and manages their sessions.",
    "",
    "Commands:",
    ...commandList(commands),
    "",
    "Run `pulse <command> --help` for a command's options.",
    "Environment: PULSE_URL (default http://127.0.0.1:6820), PULSE_TOKEN, PULSE_HOME (default ~/.pulse), NO_COLOR.",
    "Exit codes: 0 ok, 1 failed or declined, 2 bad usage, 3 ingest unreachable, 4 token refused, 5 not found.",
    "",
  ].join("\n");
}

/** Help for a group of commands such as `pulse hooks`. */
export function groupHelp(group: string, commands: Command[]): string {
  return [
    `Usage: pulse ${group} <command> [options]`,
    "",
    "Commands:",
    ...commandList(commands),
    "",
    `Run \`pulse ${group} <command> --help\` for a command's options.`,
    "",
  ].join("\n");
}
