import { loadClientConfig } from "../env/client-config";
import { pulseHome } from "../env/paths";
import { parseArgs } from "./args";
import type { Command, CommandContext } from "./command";
import { CliError, EXIT, UsageError } from "./errors";
import { commandHelp, groupHelp as renderGroupHelp, mainHelp } from "./help";
import { colorEnabled, painter } from "./output";

/** Every command, loaded only when chosen so `pulse sessions` does not pay for `pulse run`. */
const COMMANDS: Array<{ name: string; load: () => Command }> = [
  {
    name: "hooks install",
    load: () => (require("../commands/hooks") as typeof import("../commands/hooks")).installCommand,
  },
  {
    name: "hooks uninstall",
    load: () => (require("../commands/hooks") as typeof import("../commands/hooks")).uninstallCommand,
  },
  {
    name: "hooks status",
    load: () => (require("../commands/hooks") as typeof import("../commands/hooks")).statusCommand,
  },
  { name: "hook", load: () => (require("../commands/hook") as typeof import("../commands/hook")).hookCommand },
  { name: "run", load: () => (require("../commands/run") as typeof import("../commands/run")).runCommand },
  {
    name: "sessions show",
    load: () => (require("../commands/sessions") as typeof import("../commands/sessions")).showCommand,
  },
  {
    name: "sessions close",
    load: () => (require("../commands/sessions") as typeof import("../commands/sessions")).closeCommand,
  },
  {
    name: "sessions",
    load: () => (require("../commands/sessions") as typeof import("../commands/sessions")).listCommand,
  },
  {
    name: "cleanup",
    load: () => (require("../commands/cleanup") as typeof import("../commands/cleanup")).cleanupCommand,
  },
  { name: "stats", load: () => (require("../commands/stats") as typeof import("../commands/stats")).statsCommand },
  { name: "status", load: () => (require("../commands/status") as typeof import("../commands/status")).statusCommand },
  { name: "doctor", load: () => (require("../commands/doctor") as typeof import("../commands/doctor")).doctorCommand },
  { name: "spool", load: () => (require("../commands/spool") as typeof import("../commands/spool")).spoolCommand },
  { name: "otel env", load: () => (require("../commands/otel") as typeof import("../commands/otel")).otelEnvCommand },
  {
    name: "notify test",
    load: () => (require("../commands/notify") as typeof import("../commands/notify")).testCommand,
  },
  {
    name: "notify channels",
    load: () => (require("../commands/notify") as typeof import("../commands/notify")).channelsCommand,
  },
];

function version(): string {
  try {
    return (require("../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  // Longest name first: "sessions show" before "sessions".
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const entry of sorted) {
    const words = entry.name.split(" ");
    if (words.every((word, i) => argv[i] === word)) return { command: entry.load(), rest: argv.slice(words.length) };
  }
  return null;
}

/** Help for a group such as `pulse hooks`: its subcommands. */
function groupHelp(group: string): string | null {
  const members = COMMANDS.filter((c) => c.name.startsWith(group + " ")).map((c) => c.load());
  if (members.length === 0) return null;
  return renderGroupHelp(group, members);
}

async function dispatch(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(mainHelp(COMMANDS.map((c) => c.load())));
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  if (argv[0] === "--version" || argv[0] === "-v") {
    process.stdout.write(version() + "\n");
    return EXIT.OK;
  }
  const found = findCommand(argv);
  if (!found) {
    const help = groupHelp(argv[0]);
    if (help && (argv.length === 1 || argv[1] === "--help" || argv[1] === "-h")) {
      process.stdout.write(help);
      return argv.length === 1 ? EXIT.USAGE : EXIT.OK;
    }
    throw new UsageError(
      help
        ? `unknown command "${argv.slice(0, 2).join(" ")}"; see \`pulse ${argv[0]} --help\``
        : `unknown command "${argv[0]}"; see \`pulse --help\``,
    );
  }
  const { command, rest } = found;
  if (rest.includes("--help") || rest.includes("-h")) {
    const dashDash = rest.indexOf("--");
    const helpAt = Math.max(rest.indexOf("--help"), rest.indexOf("-h"));
    if (dashDash < 0 || helpAt < dashDash) {
      process.stdout.write(commandHelp(command));
      return EXIT.OK;
    }
  }
  let args;
  try {
    args = parseArgs(rest, command.options);
    const [min, max] = command.positionals ?? [0, 0];
    if (args.positionals.length < min) throw new UsageError(`missing argument; usage: pulse ${command.usage}`);
    if (args.positionals.length > max)
      throw new UsageError(`unexpected argument "${args.positionals[max]}"; usage: pulse ${command.usage}`);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${command.name}: ${error.message}`);
    throw error;
  }
  const home = pulseHome();
  // isatty(), not process.stdin/stdout: creating those streams can switch a shared pipe to
  // non-blocking mode under `pulse run`'s child, which uses the same file descriptors.
  const { isatty } = require("node:tty") as typeof import("node:tty");
  const ctx: CommandContext = {
    home,
    config: loadClientConfig(home),
    cwd: process.cwd(),
    paint: painter(colorEnabled(isatty(1))),
    interactive: isatty(0) && isatty(1),
    columns: isatty(1) ? process.stdout.columns : undefined,
  };
  if (command.name !== "run") {
    // A closed pipe (`pulse sessions | head`) is not an error.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(EXIT.OK);
    });
  }
  try {
    return await command.run(args, ctx);
  } catch (error) {
    // Usage errors name the command, wherever they were found.
    if (error instanceof UsageError && !error.message.startsWith(`${command.name}:`))
      throw new UsageError(`${command.name}: ${error.message}`);
    throw error;
  }
}

export function main(argv: string[]): void {
  dispatch(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CliError) {
        process.stderr.write(`pulse: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        const err = error as Error;
        process.stderr.write(
          `pulse: internal error: ${err?.message ?? String(error)}${process.env.PULSE_DEBUG ? `\n${err?.stack}` : " (PULSE_DEBUG=1 shows the stack)"}\n`,
        );
        process.exitCode = EXIT.FAILURE;
      }
    },
  );
}
