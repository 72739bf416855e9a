import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** The repository's root: the built apps are run from there (`npm test` builds first). */
export const ROOT = join(__dirname, "../..");

// The shared kit's (packages/test-kit), kept importable from here for the fault tests.
export { freePort } from "@pulse/test-kit";

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its pino log lines so far, parsed (lines that are not JSON are skipped). */
  logs(): Array<Record<string, any>>;
  signal(name: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs a built app (`ingest` or `reaper`, i.e. the events worker and the reaper) as a process of its own. */
export function runApp(app: "ingest" | "reaper", env: Record<string, string>): AppProcess {
  return runNode([join(ROOT, `apps/${app}/dist/main.js`)], { LOG_LEVEL: "info", REAPER_NICE: "0", ...env });
}

export function runNode(args: string[], env: Record<string, string>, cwd = ROOT): AppProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal)),
  );
  const proc: AppProcess = {
    child,
    pid: child.pid!,
    exited,
    output: () => output,
    logs: () =>
      output.split("\n").flatMap((line) => {
        try {
          const parsed = JSON.parse(line);
          return parsed && typeof parsed === "object" ? [parsed] : [];
        } catch {
          return [];
        }
      }),
    signal: (name) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(name);
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return proc;
}

/** Prints a fault test's figures in one line, for the note (sent / accepted / applied / lost / doubled …). */
export function printFigures(fault: string, figures: Record<string, number | string>): void {
  process.stdout.write(
    `\nFIGURES ${fault}: ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}\n`,
  );
}
