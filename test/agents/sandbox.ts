import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killProcessesOf } from "./processes";
import type { Terminal } from "./tmux";

/**
 * A user of the machine, private to one test: a temp root holding HOME (so ~/.claude, ~/.codex,
 * ~/.gemini and ~/.pulse are the test's own) and a project folder to run the agent in. `cleanup()`
 * closes its terminals, kills every process that names the root (agents, hooks, watchers, Codex's
 * background app-server) and removes the folder, whatever state the test left.
 */
export class Sandbox {
  readonly root: string;
  readonly home: string;
  readonly project: string;
  private readonly terminals: Terminal[] = [];

  constructor(label: string) {
    this.root = mkdtempSync(join(tmpdir(), `pulse-conf-${label}-`));
    this.home = join(this.root, "home");
    this.project = join(this.root, "project");
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.project, { recursive: true });
  }

  /** The environment a user's shell would give the agent: nothing of the test runner's. */
  baseEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      LANG: "C.UTF-8",
      HOME: this.home,
      USER: "root",
      SHELL: "/bin/bash",
      ...extra,
    };
  }

  private cleaned = false;

  /** Remembers a terminal so cleanup closes it; one opened after cleanup (a case that ran past its test) is closed at once. */
  track(terminal: Terminal): Terminal {
    if (this.cleaned) {
      void terminal.close().then(() => killProcessesOf(this.root));
      throw new Error(`sandbox ${this.root} was already cleaned up`);
    }
    this.terminals.push(terminal);
    return terminal;
  }

  /** Watcher records Pulse's hook left in ~/.pulse/watchers (each names its watcher's pid). */
  watcherRecords(): Array<{ session_id?: string; watcher_pid?: number; agent_pid?: number; [k: string]: unknown }> {
    const dir = join(this.home, ".pulse", "watchers");
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    const out = [];
    for (const name of names) {
      try {
        out.push(JSON.parse(readFileSync(join(dir, name), "utf8")));
      } catch {
        // being written or removed
      }
    }
    return out;
  }

  /** Events waiting in ~/.pulse/spool (not yet delivered). */
  spooled(): string[] {
    try {
      return readdirSync(join(this.home, ".pulse", "spool")).filter((n) => n.endsWith(".json") && !n.startsWith("."));
    } catch {
      return [];
    }
  }

  async cleanup(): Promise<void> {
    this.cleaned = true;
    for (const terminal of this.terminals.splice(0)) await terminal.close();
    await killProcessesOf(this.root);
    rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }
}
