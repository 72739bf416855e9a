import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * An interactive agent in a terminal: Debian's tmux on a private socket (`-L`), one session, one
 * pane. The agent is the pane's only process (no shell in between), so when it exits the pane and
 * the tmux server go away, as a terminal window would close.
 */
export class Terminal {
  readonly socket = `pulse-conf-${process.pid}-${randomBytes(4).toString("hex")}`;
  private started = false;

  private constructor(readonly label: string) {}

  /** Starts `argv` in a new 200×50 terminal with exactly `env` (plus TERM) in `cwd`. */
  static async start(
    argv: string[],
    options: { env: Record<string, string>; cwd: string; label?: string },
  ): Promise<Terminal> {
    const terminal = new Terminal(options.label ?? argv[0]);
    // `env -i`: the pane gets only the test's environment, not the tmux server's (the test runner's).
    // env execs the agent, so the pane's process is the agent itself.
    const command = [
      "env",
      "-i",
      ...Object.entries({ TERM: "xterm-256color", ...options.env }).map(([k, v]) => `${k}=${v}`),
      ...argv,
    ];
    await terminal.tmux([
      "-f",
      "/dev/null",
      "new-session",
      "-d",
      "-x",
      "200",
      "-y",
      "50",
      "-s",
      "main",
      "-c",
      options.cwd,
      ...command,
    ]);
    terminal.started = true;
    return terminal;
  }

  async tmux(args: string[]): Promise<string> {
    const { stdout } = await run("tmux", ["-L", this.socket, ...args], { timeout: 10_000 });
    return stdout;
  }

  /** The visible screen as text. "" once the terminal is gone. */
  async screen(): Promise<string> {
    try {
      return await this.tmux(["capture-pane", "-p", "-t", "main"]);
    } catch {
      return "";
    }
  }

  /** Types text literally (no key names), then optionally Enter after a short pause (as a person would). */
  async type(text: string, { enter = true } = {}): Promise<void> {
    await this.tmux(["send-keys", "-t", "main", "-l", text]);
    if (enter) {
      // A TUI that reads the text and the Enter in one chunk takes it as a paste (the Enter is lost
      // or becomes a newline): press Enter once the text is echoed (or after 3 s, whatever shows).
      await this.waitFor(text, { timeoutMs: 3_000 }).catch(() => undefined);
      await sleep(100);
      await this.press("Enter");
    }
  }

  /** Presses keys by tmux name: Enter, Escape, C-c, C-d, C-u, Down, "1", … */
  async press(...keys: string[]): Promise<void> {
    await this.tmux(["send-keys", "-t", "main", ...keys]);
  }

  /** Waits until the screen shows `what`; returns the moment it was first seen. */
  async waitFor(
    what: string | RegExp | ((screen: string) => boolean),
    { timeoutMs = 20_000, intervalMs = 50 } = {},
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const seen =
      typeof what === "string"
        ? (t: string) => t.includes(what)
        : typeof what === "function"
          ? what
          : (t: string) => what.test(t);
    let last: string;
    for (;;) {
      last = await this.screen();
      if (seen(last)) return Date.now();
      if (Date.now() > deadline)
        throw new Error(`${this.label}: "${what}" not on screen after ${timeoutMs} ms. Screen:\n${trimScreen(last)}`);
      await sleep(intervalMs);
    }
  }

  /** The pid of the pane's process (the agent), or null once the terminal is gone. */
  async panePid(): Promise<number | null> {
    try {
      const out = await this.tmux(["display-message", "-p", "-t", "main", "#{pane_pid}"]);
      const pid = Number(out.trim());
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /** True while the tmux server (and so the agent's terminal) is up. */
  async alive(): Promise<boolean> {
    try {
      await this.tmux(["has-session", "-t", "main"]);
      return true;
    } catch {
      return false;
    }
  }

  /** Waits for the agent to exit (its terminal closes). */
  async waitClosed({ timeoutMs = 10_000 } = {}): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (await this.alive()) {
      if (Date.now() > deadline)
        throw new Error(
          `${this.label}: still running after ${timeoutMs} ms. Screen:\n${trimScreen(await this.screen())}`,
        );
      await sleep(50);
    }
    return Date.now();
  }

  /** Closes the terminal as a user closing the window would: the tmux server goes, the pane gets SIGHUP. */
  async close(): Promise<void> {
    if (!this.started) return;
    try {
      await this.tmux(["kill-server"]);
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind; it is this terminal's own.
    rmSync(join(tmpdir(), `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}

/** The screen without trailing blank lines, for error messages. */
export function trimScreen(text: string): string {
  return text
    .replace(/\s+$/, "")
    .split("\n")
    .filter((line, i, all) => line.trim() !== "" || (i > 0 && all[i - 1].trim() !== ""))
    .join("\n");
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
