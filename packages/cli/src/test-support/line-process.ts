import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/**
 * A child process the test talks to in lines: it writes one line per request on the child's stdin
 * and reads the child's stdout line by line, in order. The dummy agents (dummy-agent.ts,
 * dummy-codex.ts) are this plus the script they run.
 */
export class LineProcess {
  readonly process: ChildProcess;
  private lines: string[] = [];
  private waiters: Array<(line: string) => void> = [];

  constructor(command: string, args: string[], options: SpawnOptions) {
    this.process = spawn(command, args, { ...options, stdio: ["pipe", "pipe", "inherit"] });
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

  /** Whether the process still runs (it has neither exited nor been killed). */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** The next line it prints. */
  next(): Promise<string> {
    return this.lines.length
      ? Promise.resolve(this.lines.shift()!)
      : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes `payload` as one JSON line and waits for the line that answers it. */
  request(payload: unknown): Promise<string> {
    const answer = this.next();
    this.process.stdin!.write(JSON.stringify(payload) + "\n");
    return answer;
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.process.kill(signal);
  }
}
