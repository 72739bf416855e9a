import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PULSE_JS } from "./cli-process";
import { LineProcess } from "./line-process";

/**
 * A stand-in for Codex's interactive mode as seen with Codex 0.171: each TUI (`codex`) talks over a
 * unix socket to one shared background `codex app-server` that the first TUI starts (as its child, in
 * a session of its own) and that outlives it; the hooks of every TUI's session run as `sh -c` children
 * of that server, never of the TUI. The script is named `codex`, so the watcher's facts about Codex
 * apply to it (`node …/codex` is a Codex process; `… app-server` never a session's).
 *
 * The test feeds a TUI payloads (one JSON line each on its stdin); it sends them to the server, which
 * runs the hook and answers "done <exit code>", printed by the TUI on its stdout.
 */
const SCRIPT = `
const net = require("node:net");
const { spawn } = require("node:child_process");
const readline = require("node:readline");
const socketPath = process.env.DUMMY_CODEX_SOCKET;
if (process.argv[2] === "app-server") {
  const command = process.env.DUMMY_CODEX_HOOK;
  net.createServer((client) => {
    readline.createInterface({ input: client }).on("line", (line) => {
      const hook = spawn("/bin/sh", ["-c", command], { stdio: ["pipe", "ignore", "inherit"] });
      hook.stdin.end(line);
      hook.on("exit", (code) => client.write("done " + code + "\\n"));
    });
    client.on("error", () => {});
  }).listen(socketPath);
  setInterval(() => {}, 1 << 30);
} else {
  const connect = (tries) => {
    const socket = net.connect(socketPath);
    socket.on("connect", () => {
      process.stdout.write("connected\\n");
      readline.createInterface({ input: socket }).on("line", (line) => process.stdout.write(line + "\\n"));
      readline.createInterface({ input: process.stdin }).on("line", (line) => socket.write(line + "\\n"));
      process.stdin.on("end", () => process.exit(0));
    });
    socket.on("error", () => {
      if (tries === 0 && process.env.DUMMY_CODEX_START_SERVER) {
        const server = spawn(process.execPath, [__filename, "app-server"], { detached: true, stdio: "ignore" });
        server.unref();
        process.stdout.write("server " + server.pid + "\\n");
      }
      setTimeout(() => connect(tries + 1), 50);
    });
  };
  connect(0);
}
`;

export class DummyCodex extends LineProcess {
  /**
   * `dir` holds the script; `socket` is the shared server's; the TUI runs in `cwd`. `startsServer`:
   * this TUI starts the server (the first one does).
   */
  constructor(
    dir: string,
    socket: string,
    cwd: string,
    env: Record<string, string | undefined>,
    options: { startsServer?: boolean; program?: string } = {},
  ) {
    const script = join(dir, options.program ?? "codex");
    writeFileSync(script, SCRIPT);
    mkdirSync(cwd, { recursive: true });
    const hook = `NODE_EXTRA_CA_CERTS= '${process.execPath}' '${PULSE_JS}' hook --agent codex`;
    super(process.execPath, [script], {
      cwd,
      env: {
        ...env,
        DUMMY_CODEX_SOCKET: socket,
        DUMMY_CODEX_HOOK: hook,
        DUMMY_CODEX_START_SERVER: options.startsServer ? "1" : "",
      } as NodeJS.ProcessEnv,
    });
  }

  /** Runs one hook in the shared server for this TUI's session, as Codex would, and waits for it ("done <code>"). */
  hook(payload: unknown): Promise<string> {
    return this.request(payload);
  }

  /** Leaves like `/quit`: exit code 0. */
  quit(): void {
    this.process.stdin!.end();
  }
}
