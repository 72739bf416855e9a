import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import { constants } from "node:os";
import { AGENTS as ADAPTERS } from "@pulse/core/agents";
import { pulseScriptPath } from "../agents/hook-command";
import { stringOption } from "../cli/args";
import type { Command, CommandContext } from "../cli/command";
import { UsageError } from "../cli/errors";
import { readRunClaim, removeRunClaim } from "../hook/run-claim";
import { spoolAndDeliver } from "../spool/deliver";
import type { SpoolRecord } from "../spool/spool-files";
import { readProc } from "../watch/proc-info";
import { removeWatcherRecord } from "../watch/registry";
import { spawnWatcher } from "../watch/start-watcher";
import { collectHookStatus } from "./hooks";

/** How long the end event may take to deliver before pulse exits anyway (it stays spooled then). */
const END_BUDGET_MS = 3000;

/**
 * Signals a terminal sends to the whole foreground process group: on a terminal the child has
 * received them itself, so forwarding would deliver them twice (two Ctrl+C quit some agents).
 */
const TERMINAL_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGQUIT", "SIGHUP"];
/** Signals only sent to a pid (kill, a supervisor): always forwarded. */
const DIRECT_SIGNALS: NodeJS.Signals[] = ["SIGTERM", "SIGUSR1", "SIGUSR2"];

function event(
  sessionId: string,
  source: string,
  fields: Record<string, unknown>,
  time: number,
  id: string,
): SpoolRecord {
  return {
    v: 1,
    path: "/v1/events",
    time,
    key: id,
    body: JSON.stringify({ session_id: sessionId, source, time, id, ...fields }),
  };
}

function warn(message: string): void {
  process.stderr.write(`pulse: ${message}\n`);
}

/**
 * A hook may still be running when the agent exits: Codex starts `notify` for the last turn and exits
 * without waiting for it (seen with `codex exec` 0.171). The hook claims the run right after spooling
 * its event, well within its own second: give it that long, then some.
 */
const CLAIM_GRACE_MS = 2000;

async function waitForClaim(home: string, runId: string) {
  const until = Date.now() + CLAIM_GRACE_MS;
  for (;;) {
    const claim = readRunClaim(home, runId);
    if (claim || Date.now() >= until) return claim;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The agent this command starts when Pulse's hooks for it are installed (any scope that applies in
 * `cwd`), else null. Such an agent reports its own session, under its own id, with prompts, tools and
 * waits: a second session made by `pulse run` would only show the same run twice.
 */
export function agentReportingItself(command: string[], source: string, cwd: string): string | null {
  const name = basename(command[0]);
  // The command names are the adapters' (`process.names`, what the watcher recognises too).
  const agent = Object.values(ADAPTERS).find((a) => a.id === source || a.process.names.includes(name));
  if (!agent) return null;
  return collectHookStatus(cwd, agent.id).some((r) => r.installed.length > 0) ? agent.id : null;
}

export const runCommand: Command = {
  name: "run",
  summary: "Run an agent that has no hooks as a Pulse session: start, end with its exit code",
  usage: "run [--agent NAME] [--title TEXT] -- <command> [args…]",
  options: {
    agent: { type: "string", valueName: "NAME", description: "the session's agent (default: the command's name)" },
    title: { type: "string", valueName: "TEXT", description: "the session's title (default: the command line)" },
  },
  // Words before `--` are refused in run() with a hint, not by the generic parser.
  positionals: [0, Number.MAX_SAFE_INTEGER],
  details: `Posts a start event, runs the command with the terminal, stdin and stdout untouched, forwards
signals, posts an end event with the exit code in end_detail when it exits (Ctrl+C included) and exits
with the command's exit code (128+N when a signal N killed it). The end is sent once however signals
and exit race; if ingest is down both events wait in the spool. The child gets PULSE_SESSION_ID.
If pulse itself is killed (kill -9), a watcher ends the session with end_reason process_exit.
An agent whose Pulse hooks are installed (claude, codex, gemini) reports its own session: then pulse
run makes none, unless no hook reported anything by the time it exits (hooks not trusted, an
untrusted folder), when it records the run after all, with its true start time.`,
  async run(args, ctx) {
    if (args.positionals.length > 0)
      throw new UsageError(`put the command after --, e.g. pulse run -- ${args.positionals.join(" ")}`);
    const command = args.rest ?? [];
    if (command.length === 0) throw new UsageError("no command; usage: pulse run [--agent NAME] -- <command> [args…]");
    // The agent goes on the wire as the event's `source` (its wire name, DEVELOPERS.md glossary).
    const source = stringOption(args, "agent") ?? basename(command[0]);
    if (!source.trim() || source.length > 64) throw new UsageError("--agent must be 1 to 64 characters");
    const title = stringOption(args, "title");
    if (title !== undefined && !title.trim()) throw new UsageError("--title must not be empty");
    return runWrapped(command, source, title, ctx, agentReportingItself(command, source, ctx.cwd));
  },
};

async function runWrapped(
  command: string[],
  source: string,
  title: string | undefined,
  ctx: CommandContext,
  selfReporting: string | null,
): Promise<number> {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const { isatty } = require("node:tty") as typeof import("node:tty");
  const sessionId = randomUUID();
  const commandLine = command.join(" ");
  // Signal handlers go in before the child exists: from now on no signal may kill pulse before the
  // child has exited (that would lose the end and hide the exit code). One that arrives before the
  // child is running is passed on as soon as it is.
  const onTerminal = isatty(0);
  let child: import("node:child_process").ChildProcess | null = null;
  const early: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals) => {
    if (onTerminal && TERMINAL_SIGNALS.includes(signal)) return;
    if (!child || child.pid === undefined) early.push(signal);
    else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = [...TERMINAL_SIGNALS, ...DIRECT_SIGNALS].map((signal) => {
    const handler = () => forward(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });

  const spawned = spawn(command[0], command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, PULSE_SESSION_ID: sessionId },
  });
  child = spawned;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    spawned.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const spawnError = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    spawned.once("spawn", () => resolve(null));
    spawned.once("error", (error) => resolve(error as NodeJS.ErrnoException));
  });
  if (spawnError) {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    warn(`cannot run ${command[0]}: ${spawnError.code === "ENOENT" ? "command not found" : spawnError.message}`);
    return spawnError.code === "ENOENT" ? 127 : 126;
  }
  for (const signal of early.splice(0)) forward(signal);

  const startedAt = Date.now();
  const startEvent = () =>
    spoolAndDeliver(
      ctx.home,
      ctx.config,
      event(
        sessionId,
        source,
        {
          kind: "start",
          name: "pulse run",
          cwd: ctx.cwd,
          detail: commandLine.slice(0, 2000),
          title: title ?? commandLine.slice(0, 2000),
        },
        startedAt,
        "run-start",
      ),
      END_BUDGET_MS,
    );

  // If pulse itself dies without running its exit path, this watcher still ends the session. An
  // agent reporting itself needs none: its hooks start a watcher of its own process.
  const self = selfReporting ? null : readProc(process.pid);
  const watching =
    self && !process.env.PULSE_NO_WATCH
      ? spawnWatcher(ctx.home, source, sessionId, { ...self, name: "pulse run" }, pulseScriptPath()) !== null
      : false;

  const start = selfReporting ? null : startEvent();

  const exit = await exited;
  const endedAt = Date.now();
  const exitCode = exit.code ?? 128 + (exit.signal ? (constants.signals[exit.signal] ?? 0) : 0);
  const detail = exit.code !== null ? `exit code ${exit.code}` : `killed by ${exit.signal} (exit code ${exitCode})`;

  if (selfReporting) {
    const claim = await waitForClaim(ctx.home, sessionId);
    removeRunClaim(ctx.home, sessionId);
    if (claim) return exitCode; // the agent's hooks reported its session: nothing to add
  }

  // The end is sent once: this runs once, after the child's single exit event, whatever signals came.
  const startDelivery = await (start ?? startEvent());
  const end = await spoolAndDeliver(
    ctx.home,
    ctx.config,
    event(sessionId, source, { kind: "end", end_reason: "process_exit", end_detail: detail }, endedAt, "run-end"),
    END_BUDGET_MS,
  );
  if (watching) removeWatcherRecord(ctx.home, sessionId);
  for (const delivery of [startDelivery, end]) {
    if (delivery.spoolError && !delivery.delivered)
      warn(
        `cannot write the spool (${delivery.spoolError}) and ${delivery.failure}: an event of session ${sessionId} is lost`,
      );
  }
  if (!end.delivered && !end.spoolError)
    warn(`${end.failure}; the session's events wait in the spool (\`pulse spool flush\`)`);
  // The handlers stay until pulse exits: a late Ctrl+C must not kill it with a signal of its own,
  // which would hide the child's exit code.
  return exitCode;
}
