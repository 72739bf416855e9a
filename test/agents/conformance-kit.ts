import { startStack, type StackOptions, type TestStack } from "../stack";
import { type AgentDriver, type AgentId } from "./drivers/agent-driver";
import { ClaudeCodeDriver } from "./drivers/claude-code";
import { CodexDriver } from "./drivers/codex";
import { GeminiDriver } from "./drivers/gemini";
import { FigureTable } from "./figures";
import { startAnthropicMock } from "./mock-model/anthropic";
import type { MockModelServer } from "./mock-model/http-server";
import { startGeminiMock } from "./mock-model/gemini";
import { startOpenAiMock } from "./mock-model/openai";
import { PulseObserver } from "./observer";
import { assertPulseBuilt } from "./pulse-cli";
import { Sandbox } from "./sandbox";

type DriverOf<A extends AgentId> = A extends "claude-code"
  ? ClaudeCodeDriver
  : A extends "codex"
    ? CodexDriver
    : GeminiDriver;

/** One user of one agent: a private HOME with Pulse's hooks installed, and what Pulse shows for them. */
export interface AgentUser<A extends AgentId = AgentId> {
  sandbox: Sandbox;
  driver: DriverOf<A>;
  observer: PulseObserver;
}

/**
 * Everything a conformance test file needs: the real stack (ingest + workers in-process, own
 * database and Redis prefix), the agent's mock model server, a figures table, and fresh users. Call
 * `cleanupUsers()` after each test and `stop()` after all: they close terminals, kill every process
 * the users' agents left (Codex's app-server included) and remove their folders.
 */
export class ConformanceKit<A extends AgentId> {
  private readonly users: Array<AgentUser<A>> = [];

  private constructor(
    readonly agent: A,
    readonly stack: TestStack,
    readonly model: MockModelServer,
    readonly figures: FigureTable,
  ) {}

  /**
   * `shared`: run on a stack another kit started (several agents in one file); this kit then leaves
   * the stack running on stop().
   */
  static async start<A extends AgentId>(
    agent: A,
    options: { file: string; stack?: StackOptions; shared?: TestStack; figures?: FigureTable },
  ): Promise<ConformanceKit<A>> {
    assertPulseBuilt();
    const model =
      agent === "claude-code"
        ? await startAnthropicMock()
        : agent === "codex"
          ? await startOpenAiMock()
          : await startGeminiMock();
    const stack = options.shared ?? (await startStack({ label: `conf${agent.replace(/-/g, "")}`, ...options.stack }));
    const kit = new ConformanceKit(agent, stack, model, options.figures ?? new FigureTable(options.file));
    kit.ownsStack = !options.shared;
    return kit;
  }

  private ownsStack = true;

  /** A new user with Pulse's hooks installed (`pulse hooks install` with PULSE_URL = this stack). */
  async user({ install = true, pulseUrl = this.stack.url } = {}): Promise<AgentUser<A>> {
    if (this.stopped) throw new Error(`${this.agent} kit already stopped`);
    const sandbox = new Sandbox(this.agent);
    const driver = newDriver(this.agent, sandbox, this.model) as DriverOf<A>;
    const user: AgentUser<A> = {
      sandbox,
      driver,
      observer: new PulseObserver(this.stack.url, { source: this.agent, cwd: sandbox.project }).start(),
    };
    this.users.push(user);
    if (install) await driver.installHooks(pulseUrl);
    return user;
  }

  async cleanupUsers(): Promise<void> {
    for (const user of this.users.splice(0)) {
      await user.observer.stop();
      await user.sandbox.cleanup();
    }
  }

  private stopped = false;

  async stop(): Promise<void> {
    this.stopped = true;
    await this.cleanupUsers();
    await this.model.close();
    if (this.ownsStack) {
      await this.stack.stop();
      this.figures.print();
    }
  }
}

function newDriver(agent: AgentId, sandbox: Sandbox, model: MockModelServer): AgentDriver {
  if (agent === "claude-code") return new ClaudeCodeDriver(sandbox, model);
  if (agent === "codex") return new CodexDriver(sandbox, model);
  return new GeminiDriver(sandbox, model);
}
