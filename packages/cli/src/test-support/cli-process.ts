import { spawn, type SpawnOptions } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The built CLI: tests run what users run (`npm run build` first; root `npm test` does). */
export const PULSE_JS = resolve(__dirname, "../../dist/pulse.js");
export const FIXTURES = resolve(__dirname, "../../../../test/fixtures");

export function assertBuilt(): void {
  if (!existsSync(PULSE_JS)) throw new Error(`${PULSE_JS} is missing: run \`npm run build -w @pulse/cli\` first`);
}

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), "utf8");
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A temp HOME and PULSE_HOME of the test's own; `env()` is the environment a CLI run gets. */
export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), "pulse-cli-test-"));
  readonly home = join(this.root, "home");
  readonly pulseHome = join(this.root, "pulse");

  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    const base: Record<string, string | undefined> = {};
    for (const key of ["PATH", "LANG", "TZ", "NODE_EXTRA_CA_CERTS"]) base[key] = process.env[key];
    return { ...base, HOME: this.home, PULSE_HOME: this.pulseHome, NO_COLOR: "1", ...extra };
  }

  spoolFiles(): string[] {
    try {
      return readdirSync(join(this.pulseHome, "spool"))
        .filter((n) => n.endsWith(".json") && !n.startsWith("."))
        .sort();
    } catch {
      return [];
    }
  }

  /** What `pulse hook` logged ($PULSE_HOME/hook.log): the hook writes nothing to stdout or stderr. */
  hookLog(): string {
    try {
      return readFileSync(join(this.pulseHome, "hook.log"), "utf8");
    } catch {
      return "";
    }
  }

  watcherRecords(): Array<{ session_id: string; watcher_pid: number; agent_pid: number }> {
    const dir = join(this.pulseHome, "watchers");
    try {
      return readdirSync(dir)
        .filter((n) => n.endsWith(".json"))
        .map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")));
    } catch {
      return [];
    }
  }

  /** Stops watchers this sandbox started (by their recorded pid only) and removes the temp dirs. */
  cleanup(): void {
    for (const record of this.watcherRecords()) {
      try {
        process.kill(record.watcher_pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs the built CLI as a child process, like an agent or a user would. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [PULSE_JS, ...args], options);
}

export function runProcess(
  command: string,
  args: string[],
  options: CliOptions = {},
  spawnOptions: SpawnOptions = {},
): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: options.env as NodeJS.ProcessEnv,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      ...spawnOptions,
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c) => (stdout += c));
    child.stderr!.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin!.end(options.input ?? "");
  });
}
