import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { MockModelServer } from "../mock-model/http-server";
import { commandLine, treeOf } from "../processes";
import { runProgram } from "../pulse-cli";
import type { Sandbox } from "../sandbox";
import { AgentDriver, type ScreenFacts } from "./agent-driver";

export const GEMINI_JS = resolve(__dirname, "../../../node_modules/.bin/gemini");

/**
 * Gemini CLI 0.61 against the Gemini mock (GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY).
 * `~/.gemini/settings.json`: `security.auth.selectedType = "gemini-api-key"` (else it asks how to
 * log in). `~/.gemini/trustedFolders.json`: `{"<dir>": "TRUST_FOLDER"}` — hooks, user-level ones
 * included, run only in trusted folders, and headless in an untrusted folder exits 55. Without
 * `--yolo`, `-p` has no shell tool.
 */
export class GeminiDriver extends AgentDriver {
  readonly agent = "gemini" as const;
  readonly screen: ScreenFacts = {
    ready: /Type your message or @path\/to\/file/,
    busy: /esc to cancel/,
    permission: /Allow execution of/,
    allowKeys: ["1"],
    denyKeys: ["Escape"],
    quit: "/quit",
    starting: /Initializing/,
    submitted: /Type your message|esc to cancel/,
  };
  readonly settingsPath: string;

  constructor(sandbox: Sandbox, model: MockModelServer) {
    super(sandbox, model);
    const dir = join(sandbox.home, ".gemini");
    mkdirSync(dir, { recursive: true });
    this.settingsPath = join(dir, "settings.json");
    writeFileSync(
      this.settingsPath,
      JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }, null, 2),
    );
    writeFileSync(join(dir, "trustedFolders.json"), JSON.stringify({ [sandbox.project]: "TRUST_FOLDER" }, null, 2));
  }

  /** Merges top-level keys into settings.json (e.g. telemetry), keeping what `pulse hooks install` wrote. */
  mergeSettings(extra: Record<string, unknown>): void {
    const current = JSON.parse(readFileSync(this.settingsPath, "utf8"));
    writeFileSync(this.settingsPath, JSON.stringify({ ...current, ...extra }, null, 2));
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return this.sandbox.baseEnv({
      GEMINI_API_KEY: "mock-gemini-key",
      GOOGLE_GEMINI_BASE_URL: this.model.url,
      ...extra,
    });
  }

  interactiveArgv(args: string[] = []): string[] {
    return [GEMINI_JS, ...args];
  }

  headless(prompt: string, options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}) {
    return runProgram(GEMINI_JS, ["-p", prompt, ...(options.args ?? [])], {
      env: this.env(options.env),
      cwd: this.sandbox.project,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  }

  /** Gemini CLI relaunches itself in a child node with a larger heap: that child is the agent. */
  agentPid(panePid: number): number | null {
    const gemini = treeOf(panePid).filter((pid) => /node_modules\/\.bin\/gemini|gemini-cli/.test(commandLine(pid)));
    return gemini.length ? gemini[gemini.length - 1] : null;
  }
}
