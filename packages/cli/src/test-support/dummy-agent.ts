import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PULSE_JS } from "./cli-process";
import { LineProcess } from "./line-process";

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

export class DummyAgent extends LineProcess {
  constructor(dir: string, env: Record<string, string | undefined>) {
    const script = join(dir, "dummy-agent.js");
    writeFileSync(script, SCRIPT);
    const command = `NODE_EXTRA_CA_CERTS= '${process.execPath}' '${PULSE_JS}' hook`;
    super(process.execPath, [script, command], { env: env as NodeJS.ProcessEnv });
  }

  /** Runs one hook with this payload, as the agent would, and waits for it to finish. */
  hook(payload: unknown): Promise<string> {
    return this.request(payload);
  }
}
