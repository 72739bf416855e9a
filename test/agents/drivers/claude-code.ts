import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { MockModelServer } from "../mock-model/http-server";
import { commandLine, treeOf } from "../processes";
import { runProgram } from "../pulse-cli";
import type { Sandbox } from "../sandbox";
import { AgentDriver, type ScreenFacts } from "./agent-driver";

/** The native binary the npm package ships (npm 11 skips the postinstall that would link it). */
export const CLAUDE_BIN = resolve(__dirname, "../../../node_modules/@anthropic-ai/claude-code-linux-x64/claude");
const API_KEY = "sk-ant-api03-pulse-conformance-mock-key-0123456789";

/**
 * Claude Code 2.1.197 against the Anthropic mock. Onboarding and trust a new user would click
 * through, pre-set in `~/.claude.json`: `hasCompletedOnboarding` (else it tries to reach Anthropic
 * and stops), `customApiKeyResponses.approved` with the key's last 20 characters (else it asks
 * whether to use ANTHROPIC_API_KEY), `projects.<dir>.hasTrustDialogAccepted` (else the folder trust
 * dialog). As root `--dangerously-skip-permissions` is refused: headless runs pass `--allowedTools Bash`.
 */
export class ClaudeCodeDriver extends AgentDriver {
  readonly agent = "claude-code" as const;
  readonly screen: ScreenFacts = {
    ready: /\? for shortcuts/,
    busy: /esc to interrupt/,
    permission: /Do you want to proceed\?/,
    allowKeys: ["1"],
    denyKeys: ["3"],
    quit: "/exit",
  };

  constructor(sandbox: Sandbox, model: MockModelServer) {
    super(sandbox, model);
    writeFileSync(
      join(sandbox.home, ".claude.json"),
      JSON.stringify({
        hasCompletedOnboarding: true,
        customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
        projects: { [sandbox.project]: { hasTrustDialogAccepted: true } },
      }),
    );
    mkdirSync(join(sandbox.home, ".claude"), { recursive: true });
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return this.sandbox.baseEnv({
      ANTHROPIC_BASE_URL: this.model.url,
      ANTHROPIC_API_KEY: API_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      ...extra,
    });
  }

  interactiveArgv(args: string[] = []): string[] {
    return [CLAUDE_BIN, ...args];
  }

  headless(prompt: string, options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}) {
    return runProgram(CLAUDE_BIN, ["-p", prompt, "--allowedTools", "Bash", ...(options.args ?? [])], {
      env: this.env(options.env),
      cwd: this.sandbox.project,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  }

  agentPid(panePid: number): number | null {
    // The pane runs `env -i … claude` (env execs), perhaps behind a wrapper such as `pulse run`.
    return treeOf(panePid).find((pid) => commandLine(pid).startsWith(CLAUDE_BIN)) ?? null;
  }
}
