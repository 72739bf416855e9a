import { mappedEvent, summarizeToolInput } from "../mapped-event";
import type { MappedEvent } from "../normalize";
import { optionalLine } from "../text";
import { NO_USAGE } from "../usage";
import type { AgentAdapter } from "./types";

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

/** Whether a body is Codex's legacy `notify` payload rather than a hook input. */
export function isCodexNotify(body: Record<string, unknown>): boolean {
  return "thread-id" in body || (typeof body.type === "string" && !("hook_event_name" in body));
}

/**
 * Codex's title generator runs as a thread of its own and sends its own `notify`; it is not a
 * session the user started (seen on 0.171: a second "session" per interactive session).
 */
const TITLE_THREAD_PROMPT = /^Generate a concise, single-line task title/;

/** Events that mean work goes on. */
const WORKING_EVENTS = new Set(["PreCompact", "PostCompact", "SubagentStart", "SubagentStop"]);

function mapHookInput(h: Record<string, unknown>): MappedEvent {
  const name = String(h.hook_event_name);
  const model = optionalLine(h.model, 200);
  const usage = model ? { ...NO_USAGE, model } : null;
  const tool = optionalLine(h.tool_name, 200);
  switch (name) {
    case "SessionStart":
      return { ...mappedEvent("start", name), detail: optionalLine(h.source, 100), usage };
    case "UserPromptSubmit":
      return { ...mappedEvent("prompt", name), detail: optionalLine(h.prompt, 2000), usage };
    case "Stop":
      return { ...mappedEvent("turn_end", name), detail: optionalLine(h.last_assistant_message, 2000), usage };
    case "StopFailure":
      return {
        ...mappedEvent("attention", name),
        waiting_reason: "error",
        detail: optionalLine(h.last_assistant_message ?? h.error, 2000),
        usage: { ...NO_USAGE, model, api_error: true },
      };
    case "Interrupt":
      // Esc / Ctrl+C on a running turn: the turn stops and waits for the user.
      return { ...mappedEvent("attention", name), waiting_reason: "interrupted", usage };
    case "PermissionRequest":
      return {
        ...mappedEvent("attention", name),
        tool,
        detail: summarizeToolInput(h.tool_input) ?? tool,
        waiting_reason: "permission",
        usage,
      };
    case "SessionEnd": {
      const reason = optionalLine(h.reason, 500);
      return { ...mappedEvent("end", name), detail: reason, end_reason: "session_end", end_detail: reason };
    }
    case "PreToolUse":
    case "PostToolUse":
      return {
        ...mappedEvent("tool", name),
        tool,
        detail: summarizeToolInput(h.tool_input) ?? tool,
        usage: { ...NO_USAGE, model, tool_call: name === "PostToolUse" ? "hook" : null },
      };
    default:
      if (WORKING_EVENTS.has(name)) return { ...mappedEvent("activity", name), usage };
      return { ...mappedEvent("activity", name), usage, signal: "bookkeeping" };
  }
}

/** `agent-turn-complete` ends a turn: the agent waits for the user. It carries the turn's prompt, which can title the session. */
function mapNotify(n: Record<string, unknown>): MappedEvent | null {
  const type = String(n.type);
  const inputs = Array.isArray(n["input-messages"]) ? n["input-messages"] : [];
  const prompt = inputs.find((m) => typeof m === "string" && m.trim() !== "") as string | undefined;
  if (prompt !== undefined && TITLE_THREAD_PROMPT.test(prompt)) return null;
  if (type !== "agent-turn-complete") return { ...mappedEvent("activity", type), signal: "bookkeeping" };
  return {
    ...mappedEvent("turn_end", type),
    detail: optionalLine(n["last-assistant-message"], 2000),
    title: optionalLine(prompt, 2000),
  };
}

export const codex: AgentAdapter = {
  id: "codex",
  label: "Codex",
  hookRoute: "/v1/hooks/codex",
  // Every hook event 0.171 fires (its hooks.json); `notify` in config.toml is installed too.
  hookEvents: [
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "PreCompact",
    "PostCompact",
    "SubagentStart",
    "SubagentStop",
    "Stop",
    "StopFailure",
    "Interrupt",
    "SessionEnd",
  ],
  mapHook: (body) => (isCodexNotify(body) ? mapNotify(body) : mapHookInput(body)),
  // Codex reports a turn's end twice when both its Stop hook and notify are installed: one key for
  // both, so the first is kept and the other dropped.
  hookKey(p) {
    const session = str(p.session_id) ?? str(p["thread-id"]);
    const turn = p.turn_id ?? p["turn-id"];
    const isTurnEnd = p.hook_event_name === "Stop" || p.type === "agent-turn-complete";
    return isTurnEnd && session && (typeof turn === "string" || typeof turn === "number")
      ? `codex-turn-end:${turn}:${session}`.slice(0, 200)
      : null;
  },
  // Verified on 0.171: the interactive TUI runs its turns (and hooks) in a background `codex app-server
  // --listen unix:// … --managed-daemon` that it starts or reuses and that outlives it and serves later
  // TUIs: never a session's process. `codex exec` and `codex --no-daemon` run their hooks themselves.
  process: {
    names: ["codex"],
    never: ["app-server"],
    ownHooks: ["exec", "e"],
    homeVariable: { name: "CODEX_HOME", defaultDir: ".codex" },
  },
  otel: {
    serviceNames: ["codex", "codex_cli_rs", "codex-tui", "codex_exec"],
    sessionAttributes: ["conversation.id"],
    recordSignal: () => "telemetry",
    carries: {
      tokens: ["sse_event (response.completed)"],
      cost: [],
      model: ["api_request", "sse_event", "conversation_starts"],
      prompt: ["user_prompt"],
    },
  },
  // Codex's response.completed counts cached tokens inside input_token_count (OpenAI's usage.input_tokens).
  pricing: { provider: "openai", inputIncludesCache: true },
  notes: {
    ends: "SessionEnd (/quit, Ctrl+C, Ctrl+D); kill -9 of the TUI or `exec` process is seen by the watcher.",
    trust:
      'Hooks run only once trusted: the project (`[projects."<dir>"] trust_level = "trusted"`) and each hook (a hash stored in config.toml, invalidated by any change of its command line; `/hooks` in the TUI). `codex exec` never asks, so on a fresh install it runs no hook.',
    quirks: [
      "The TUI runs its turns in a shared background `codex app-server` (`codex --no-daemon` and `codex exec` run in one process).",
      "`[otel]` changes reach TUI sessions only after the background server restarts.",
      'The title generator sends its own notify ("Generate a concise, single-line task title…"): not a session.',
      "Tokens but no cost: Pulse estimates the cost.",
    ],
  },
};
