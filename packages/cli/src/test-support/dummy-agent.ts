import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PULSE_JS } from "./cli-process";

/**
 * A stand-in for Claude Code: a long-lived node process that runs its hooks the way Claude Code does
 * (`sh -c "<command>"`, payload on stdin, waiting for the hook to exit). The test feeds it payloads,
 * one JSON line each on its stdin, and it answers "done <exit code>" per hook on stdout.
 */
const SCRIPT = `
const { spawn } = require("node:child_process");
const readline = require("node:readline");
const command = process.argv[2];
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const hook = spawn("/bin/sh", ["-c", command], { stdio: ["pipe", "ignore", "inherit"] });
  hook.stdin.end(line);
  hook.on("exit", (code) => process.stdout.write("done " + code + "\\n"));
});
setInterval(() => {}, 1 << 30);
`;

export class DummyAgent {
  readonly process: ChildProcess;
  private lines: string[] = [];
  private waiters: Array<(line: string) => void> = [];

  constructor(dir: string, env: Record<string, string | undefined>) {
    const script = join(dir, "dummy-agent.js");
    writeFileSync(script, SCRIPT);
    const command = `NODE_EXTRA_CA_CERTS= '${process.execPath}' '${PULSE_JS}' hook`;
    this.process = spawn(process.execPath, [script, command], { env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "inherit"] });
    let buffer = "";
    this.process.stdout!.on("data", (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        const waiter = this.waiters.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Runs one hook with this payload, as the agent would, and waits for it to finish. */
  hook(payload: unknown): Promise<string> {
    const next = this.lines.length ? Promise.resolve(this.lines.shift()!) : new Promise<string>((resolve) => this.waiters.push(resolve));
    this.process.stdin!.write(JSON.stringify(payload) + "\n");
    return next;
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.process.kill(signal);
  }
}
