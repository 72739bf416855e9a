import type { MockModelServer } from "../mock-model/http-server";
import type { ModelScript } from "../mock-model/script";
import { isAlive, treeOf } from "../processes";
import { pulse, type ProcessResult } from "../pulse-cli";
import type { Sandbox } from "../sandbox";
import { sleep, Terminal, trimScreen } from "../tmux";

export type AgentId = "claude-code" | "codex" | "gemini";

/** What each agent shows on screen, so tests drive all three the same way. */
export interface ScreenFacts {
  /** Shown while the agent waits for a prompt. */
  ready: RegExp;
  /** Shown while a turn runs. */
  busy: RegExp;
  /** Its permission dialog. */
  permission: RegExp;
  /** Keys that answer the dialog yes / no. */
  allowKeys: string[];
  denyKeys: string[];
  /** The slash command that quits. */
  quit: string;
  /** Shown while the agent is still starting although the prompt is drawn (Gemini: "Initializing…"). */
  starting?: RegExp;
  /** Shown once a prompt was taken (input box empty again, or busy); absent: the Enter is enough. */
  submitted?: RegExp;
}

/**
 * One agent, set up in a private HOME as a new user would set it up: onboarding and folder trust
 * pre-set, pointed at a mock model server, Pulse's hooks installed with the real `pulse hooks install`.
 */
export abstract class AgentDriver {
  abstract readonly agent: AgentId;
  abstract readonly screen: ScreenFacts;

  constructor(
    readonly sandbox: Sandbox,
    readonly model: MockModelServer,
  ) {}

  get script(): ModelScript {
    return this.model.script;
  }

  /** The agent's own environment (API base URL and key, its HOME-relative dirs). */
  abstract env(extra?: Record<string, string>): Record<string, string>;
  /** The argv of the interactive agent. */
  abstract interactiveArgv(args?: string[]): string[];
  /** Runs the agent headless with a prompt and waits for it to exit. */
  abstract headless(
    prompt: string,
    options?: { args?: string[]; env?: Record<string, string>; timeoutMs?: number },
  ): Promise<ProcessResult>;
  /** The pid a user would `kill -9`: the agent program itself, not a launcher in front of it. */
  abstract agentPid(panePid: number): number | null;

  /** `pulse hooks install --agent <a>` with PULSE_URL set, as the README tells a user. */
  async installHooks(pulseUrl: string, extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
    const result = await pulse(["hooks", "install", "--agent", this.agent], {
      env: this.env({ PULSE_URL: pulseUrl, ...extraEnv }),
      cwd: this.sandbox.project,
    });
    if (result.code !== 0)
      throw new Error(
        `pulse hooks install --agent ${this.agent} failed (${result.code}): ${result.stdout}${result.stderr}`,
      );
    return result;
  }

  /** `pulse <args>` as this user, in the project. */
  pulse(args: string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
    return pulse(args, { env: this.env(extraEnv), cwd: this.sandbox.project });
  }

  /** Starts the agent in a terminal and waits until it takes prompts. */
  async interactive(
    options: { args?: string[]; env?: Record<string, string>; wrapper?: string[] } = {},
  ): Promise<AgentTerminal> {
    // A wrapper runs in front of the agent, e.g. `pulse run --`.
    const argv = [...(options.wrapper ?? []), ...this.interactiveArgv(options.args)];
    const terminal = this.sandbox.track(
      await Terminal.start(argv, { env: this.env(options.env), cwd: this.sandbox.project, label: this.agent }),
    );
    const session = new AgentTerminal(this, terminal);
    await this.afterStart(session);
    await terminal.waitFor(this.screen.ready, { timeoutMs: 30_000 });
    if (this.screen.starting) {
      const starting = this.screen.starting;
      await terminal.waitFor((text) => !starting.test(text), { timeoutMs: 30_000 });
    }
    return session;
  }

  /** First-start dialogs a new user answers (Codex: trust the new hooks). */
  protected async afterStart(_session: AgentTerminal): Promise<void> {}
}

/** An interactive agent under test, with the gestures a user makes. */
export class AgentTerminal {
  constructor(
    readonly driver: AgentDriver,
    readonly terminal: Terminal,
  ) {}

  get facts(): ScreenFacts {
    return this.driver.screen;
  }

  screen(): Promise<string> {
    return this.terminal.screen();
  }

  waitFor(what: string | RegExp, timeoutMs = 20_000): Promise<number> {
    return this.terminal.waitFor(what, { timeoutMs });
  }

  /** Types a prompt and presses Enter; returns when Enter was pressed. */
  async prompt(text: string): Promise<number> {
    await this.terminal.type(text);
    const at = Date.now();
    // Gemini takes a prompt only once its start-up hooks are done (seconds on a loaded machine):
    // wait until it has, so the next gesture (Esc, /quit) reaches a running turn.
    if (this.facts.submitted) await this.terminal.waitFor(this.facts.submitted, { timeoutMs: 30_000 });
    return at;
  }

  /** Waits for the agent's permission dialog; returns when it was first on screen. */
  waitForPermission(timeoutMs = 20_000): Promise<number> {
    return this.terminal.waitFor(this.facts.permission, { timeoutMs });
  }

  async allow(): Promise<number> {
    await this.terminal.press(...this.facts.allowKeys);
    return Date.now();
  }

  async deny(): Promise<number> {
    await this.terminal.press(...this.facts.denyKeys);
    return Date.now();
  }

  async escape(): Promise<number> {
    await this.terminal.press("Escape");
    return Date.now();
  }

  /** Waits until the agent is back at its prompt, then empties the input box (Claude puts an interrupted prompt back). */
  async backAtPrompt(timeoutMs = 20_000): Promise<void> {
    await this.terminal.waitFor(this.facts.ready, { timeoutMs });
    await this.terminal.press("C-u");
  }

  /** `/exit` (Claude) or `/quit` (Codex, Gemini) + Enter; returns when Enter was pressed. */
  async quit(): Promise<number> {
    await this.terminal.type(this.facts.quit);
    const at = Date.now();
    // Gemini's completion menu can swallow the first Enter (it completes "/quit" instead): press
    // Enter again, as a user would, while the command still sits in the input box.
    for (let waited = 0; waited < 3000; waited += 100) {
      await sleep(100);
      if (!(await this.terminal.alive())) return at;
      if (waited === 1500 && new RegExp(`> ${this.facts.quit}\\s*$`, "m").test(await this.screen()))
        await this.terminal.press("Enter");
    }
    return at;
  }

  /**
   * Presses a key (C-c, C-d) until the agent exits, as a user presses it again when the agent says
   * "Press Ctrl-C again to exit" (which holds for a moment only: the second press follows at once).
   * Returns when the first key was pressed.
   */
  async pressUntilExit(key: string, { maxPresses = 3 } = {}): Promise<number> {
    const first = Date.now();
    for (let i = 0; i < maxPresses; i++) {
      await this.terminal.press(key);
      for (let waited = 0; waited < 3000; waited += 50) {
        if (!(await this.terminal.alive())) return first;
        if (i === 0 && /again to (exit|quit)/i.test(await this.screen())) break;
        await sleep(50);
      }
    }
    throw new Error(
      `${this.driver.agent} did not exit after ${maxPresses}× ${key}. Screen:\n${trimScreen(await this.screen())}`,
    );
  }

  /** The agent's process (what a user would kill), or null. */
  async pid(): Promise<number | null> {
    const pane = await this.terminal.panePid();
    return pane === null ? null : this.driver.agentPid(pane);
  }

  /** kill -9 of the agent's process; returns the moment of the kill. */
  async kill9(): Promise<number> {
    const pid = await this.pid();
    if (pid === null || !isAlive(pid)) throw new Error(`${this.driver.agent}: no agent process to kill`);
    process.kill(pid, "SIGKILL");
    return Date.now();
  }

  /** Closes the terminal window (tmux server killed: the agent gets SIGHUP). */
  async closeTerminal(): Promise<number> {
    const at = Date.now();
    await this.terminal.close();
    return at;
  }

  waitClosed(timeoutMs = 10_000): Promise<number> {
    return this.terminal.waitClosed({ timeoutMs });
  }

  /** Every process of the agent's terminal (for "no process left" checks). */
  async processTree(): Promise<number[]> {
    const pane = await this.terminal.panePid();
    return pane === null ? [] : treeOf(pane);
  }
}
