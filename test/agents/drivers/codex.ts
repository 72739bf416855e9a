import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { MockModelServer } from "../mock-model/http-server";
import { commandLine, processesOf, treeOf } from "../processes";
import { runProgram } from "../pulse-cli";
import type { Sandbox } from "../sandbox";
import { sleep, trimScreen } from "../tmux";
import { AgentDriver, type AgentTerminal, type ScreenFacts } from "./agent-driver";

export const CODEX_JS = resolve(__dirname, "../../../node_modules/.bin/codex");

/**
 * Codex CLI 0.171 against the Responses mock. `$CODEX_HOME/config.toml` (CODEX_HOME = ~/.codex):
 * the mock provider (`wire_api = "responses"`, no OpenAI auth, no websockets, no retries so an API
 * error ends the turn at once), no update check, no analytics, and `[projects."<dir>"] trust_level =
 * "trusted"`. Hooks in hooks.json run only once trusted: Codex stores a hash per hook in config.toml
 * when the user picks "Trust all and continue" in the TUI's "Hooks need review" dialog — the driver
 * answers it as a user would (`trustHooks()` for headless runs). `codex exec` never asks and, on a
 * fresh install, runs no hook.
 */
export class CodexDriver extends AgentDriver {
  readonly agent = "codex" as const;
  readonly codexHome: string;
  readonly screen: ScreenFacts = {
    ready: /Ask Codex to do anything|\? for shortcuts/,
    busy: /esc to interrupt/,
    permission: /Would you like to run the following command\?/,
    allowKeys: ["y"],
    denyKeys: ["Escape"],
    quit: "/quit",
  };

  constructor(sandbox: Sandbox, model: MockModelServer) {
    super(sandbox, model);
    this.codexHome = join(sandbox.home, ".codex");
    mkdirSync(this.codexHome, { recursive: true });
    writeFileSync(join(this.codexHome, "config.toml"), this.config());
  }

  private config(): string {
    return [
      'model = "gpt-5-codex"',
      'model_provider = "mock"',
      "check_for_update_on_startup = false",
      "",
      "[model_providers.mock]",
      'name = "mock"',
      `base_url = "${this.model.url}/v1"`,
      'wire_api = "responses"',
      "requires_openai_auth = false",
      "supports_websockets = false",
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
      "[analytics]",
      "enabled = false",
      "",
      `[projects."${this.sandbox.project}"]`,
      'trust_level = "trusted"',
      "",
    ].join("\n");
  }

  /** Appends TOML (e.g. an [otel] table) to config.toml. */
  appendConfig(toml: string): void {
    const path = join(this.codexHome, "config.toml");
    writeFileSync(path, readFileSync(path, "utf8").replace(/\n*$/, "\n\n") + toml.trim() + "\n");
  }

  configText(): string {
    return readFileSync(join(this.codexHome, "config.toml"), "utf8");
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return this.sandbox.baseEnv({ CODEX_HOME: this.codexHome, ...extra });
  }

  interactiveArgv(args: string[] = []): string[] {
    return [CODEX_JS, ...args];
  }

  headless(prompt: string, options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}) {
    return runProgram(CODEX_JS, ["exec", "--skip-git-repo-check", ...(options.args ?? []), prompt], {
      env: this.env(options.env),
      cwd: this.sandbox.project,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  }

  /** The native `codex` the node launcher runs (what `ps` shows as codex; never the app-server). */
  agentPid(panePid: number): number | null {
    // Launchers (node codex.js, `pulse run`) come first in the tree; the native binary is the agent.
    for (const pid of treeOf(panePid)) {
      const cmd = commandLine(pid);
      if (/codex-linux-[^ ]*\/codex(\s|$)/.test(cmd) && !/app-server/.test(cmd)) return pid;
    }
    return null;
  }

  /** True when hooks.json holds hooks and config.toml trusts none of them yet. */
  hooksNeedTrust(): boolean {
    if (!existsSync(join(this.codexHome, "hooks.json"))) return false;
    return !/trusted_hash\s*=/.test(this.configText());
  }

  /**
   * Trusting new hooks is the first thing Codex's TUI asks after `pulse hooks install` ("Hooks need
   * review", shown a moment after the prompt): "2. Trust all and continue", as a user would.
   */
  protected override async afterStart(session: AgentTerminal): Promise<void> {
    if (!this.hooksNeedTrust()) return;
    await session.waitFor(/Hooks need review/, 30_000);
    // The dialog takes keys once drawn: select 2, see it selected, confirm.
    await sleep(300);
    await session.terminal.press("2");
    await session.waitFor(/› 2\. Trust all and continue/, 5_000);
    await session.terminal.press("Enter");
    for (let waited = 0; this.hooksNeedTrust(); waited += 100) {
      if (waited > 10_000)
        throw new Error(
          `codex: hooks still not trusted 10 s after answering the review dialog. Screen:\n${trimScreen(await session.screen())}`,
        );
      await sleep(100);
    }
  }

  /** Opens the TUI once, trusts the hooks, quits: what a user does before `codex exec` runs hooks. */
  async trustHooks(): Promise<void> {
    const session = await this.interactive();
    await session.quit();
    await session.waitClosed();
    await this.stopAppServer();
  }

  /** Codex's shared background `codex app-server` processes of this sandbox. */
  appServerPids(): number[] {
    return processesOf(this.codexHome).filter((pid) => /app-server/.test(commandLine(pid)));
  }

  /** Stops the background app-server(s) the TUI left (by pid), as its own exit would. */
  async stopAppServer(): Promise<void> {
    for (const pid of this.appServerPids()) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // gone
      }
    }
    for (let waited = 0; waited < 2000 && this.appServerPids().length > 0; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    for (const pid of this.appServerPids()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
}
