import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The built `pulse` CLI, run as a user runs it (`npx turbo run build --filter=@pulse/cli...` first). */
export const PULSE_JS = resolve(__dirname, "../../packages/cli/dist/pulse.js");

export function assertPulseBuilt(): void {
  if (!existsSync(PULSE_JS))
    throw new Error(`${PULSE_JS} is missing: run \`npx turbo run build --filter=@pulse/cli...\` first`);
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program with exactly `env`, stdin closed, killed after `timeoutMs`. */
export function runProgram(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs?: number; input?: string },
): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** `pulse <args>` with the user's environment `env`. */
export function pulse(
  args: string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<ProcessResult> {
  return runProgram(process.execPath, [PULSE_JS, ...args], { timeoutMs: 20_000, ...options });
}
