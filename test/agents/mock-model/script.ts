/**
 * What a mock model server answers, scripted per prompt by the test. The three servers (Anthropic
 * Messages, OpenAI Responses, Gemini) share this: each finds the conversation's latest user prompt
 * and whether the request is a follow-up carrying a tool result, asks the script for a Reply and
 * renders it in its own wire format.
 */

/** One answer of the model. */
export type Reply =
  /** Plain text, streamed in a few chunks. */
  | { kind: "text"; text: string }
  /** A shell tool call (Claude `Bash`, Codex `shell`/`exec_command`, Gemini `run_shell_command`). */
  | {
      kind: "tool";
      command: string;
      text?: string;
      /** Codex: ask to run outside the sandbox (`require_escalated`), which opens its approval dialog. */
      escalate?: boolean;
    }
  /** An HTTP error status with the provider's error body (500 api_error, 529 overloaded, 429 …). */
  | { kind: "http_error"; status: number; message?: string }
  /** A 200 stream that then carries the provider's in-stream error event. */
  | { kind: "stream_error"; message?: string }
  /** Text streamed slowly (one chunk every `chunkMs`), so a test can press Esc mid-stream. */
  | { kind: "slow"; text: string; chunkMs: number; chunks: number };

export interface Rule {
  /** The rule applies when the latest user prompt contains this (string) or matches it (RegExp). */
  prompt: string | RegExp;
  reply: Reply;
  /** The answer to the follow-up request that carries the tool's result (default: text "Done."). */
  afterTool?: Reply;
  /** Use the rule at most this many times (e.g. an error once, then a normal answer). */
  times?: number;
}

export const DEFAULT_TEXT = "OK, done.";

/** Roles a request plays, so tests can tell the user's turns from the agent's side requests. */
export type RequestRole =
  /** A turn of the conversation: carries the agent's tools. */
  | "turn"
  /** Anything else the agent asks a model (titles, quota probes, summaries, next-prompt hints). */
  | "side"
  /** Non-generation endpoints (count_tokens, model lists, …). */
  | "meta";

export interface RecordedModelRequest {
  at: number;
  method: string;
  path: string;
  role: RequestRole;
  /** The latest user prompt text seen in the request ("" when none). */
  prompt: string;
  /** True when the request's last message is a tool result. */
  toolResult: boolean;
  /** What the server answered (the Reply's kind, or the endpoint's canned answer). */
  answered: string;
  body: unknown;
}

export class ModelScript {
  private readonly rules: Array<Rule & { used: number }> = [];

  constructor(private readonly fallback: Reply = { kind: "text", text: DEFAULT_TEXT }) {}

  /** Adds a rule; later rules win over earlier ones, so a test can refine a shared script. */
  on(prompt: string | RegExp, reply: Reply, options: { afterTool?: Reply; times?: number } = {}): this {
    this.rules.unshift({ prompt, reply, ...options, used: 0 });
    return this;
  }

  /** The answer to a turn request. */
  answer(prompt: string, toolResult: boolean): Reply {
    const rule = this.rules.find(
      (r) => (r.times === undefined || r.used < r.times || toolResult) && matches(r.prompt, prompt),
    );
    if (!rule) return this.fallback;
    if (toolResult) return rule.afterTool ?? { kind: "text", text: "Done." };
    rule.used++;
    return rule.reply;
  }
}

function matches(pattern: string | RegExp, prompt: string): boolean {
  return typeof pattern === "string" ? prompt.includes(pattern) : pattern.test(prompt);
}

/** Splits a text into `n` roughly equal chunks (at least one), for streaming deltas. */
export function chunksOf(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, n)));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [""];
}
