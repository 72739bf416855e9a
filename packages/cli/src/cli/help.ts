import type { Command } from "./command";

function optionLines(command: Command): string[] {
  const entries = Object.entries(command.options);
  const labels = entries.map(([name, spec]) => `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.valueName ?? "VALUE"}` : ""}`);
  const width = Math.max(0, ...labels.map((l) => l.length));
  return entries.map(([, spec], i) => `  ${labels[i].padEnd(width)}  ${spec.description}`);
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: pulse ${command.usage}`, "", command.summary];
  if (Object.keys(command.options).length) lines.push("", "Options:", ...optionLines(command));
  lines.push("      -h, --help  show this help");
  if (command.details) lines.push("", command.details.trim());
  return lines.join("\n") + "\n";
}

export function mainHelp(commands: Command[]): string {
  const visible = commands.filter((c) => !c.name.startsWith("_"));
  const width = Math.max(...visible.map((c) => c.name.length));
  return [
    "Usage: pulse <command> [options]",
    "",
    "Connects coding agents (Claude Code, Codex, Gemini CLI) to a Pulse server and manages their sessions.",
    "",
    "Commands:",
    ...visible.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `pulse <command> --help` for a command's options.",
    "Environment: PULSE_URL (default http://127.0.0.1:6820), PULSE_TOKEN, PULSE_HOME (default ~/.pulse), NO_COLOR.",
    "Exit codes: 0 ok, 1 failed or declined, 2 bad usage, 3 ingest unreachable, 4 token refused, 5 not found.",
    "",
  ].join("\n");
}
