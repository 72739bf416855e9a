/** What `pulse hook` needs to know about each agent whose hooks it serves. */
export interface HookAgent {
  /** Ingest route for this agent's hook payloads. */
  path: string;
  /** The session the payload belongs to. */
  sessionId(payload: Record<string, unknown>): string | null;
  /** The hook event's name (SessionStart, SessionEnd, …), or the notify payload's type. */
  eventName(payload: Record<string, unknown>): string | null;
  /** When the payload carries its own time (Gemini's `timestamp`), that is the event time. */
  ownTime(payload: Record<string, unknown>): number | null;
  /** An idempotency key the event has by nature, when two deliveries report the same thing. */
  naturalKey?(payload: Record<string, unknown>): string | null;
  /** A payload that is not about a session of the user's: the hook drops it (no event, no watcher). */
  ignore?(payload: Record<string, unknown>): boolean;
}

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

/**
 * Codex's title generator runs as a thread of its own (another thread-id) and sends its own
 * `notify` when its one turn ends, with this prompt as input-messages[0] (fixture
 * codex-0.171.0/notify/agent-turn-complete-title-thread.json); seen on the real 0.171 TUI, it fires
 * no hooks. The generator's fixed wording is the cheap tell (two string compares): its opening, and
 * the user's prompt quoted after "User prompt:", which a person's own prompt would hardly both have.
 */
export const CODEX_TITLE_PROMPT_START = "Generate a concise, single-line task title";

function isCodexTitleThread(p: Record<string, unknown>): boolean {
  if (p.type !== "agent-turn-complete") return false;
  const messages = p["input-messages"];
  const first = Array.isArray(messages) && messages.length === 1 ? messages[0] : null;
  return typeof first === "string" && first.startsWith(CODEX_TITLE_PROMPT_START) && first.includes("\nUser prompt:\n");
}

const common = {
  sessionId: (p: Record<string, unknown>) => str(p.session_id),
  eventName: (p: Record<string, unknown>) => str(p.hook_event_name),
  ownTime: () => null,
};

export const HOOK_AGENTS: Record<string, HookAgent> = {
  "claude-code": { ...common, path: "/v1/hooks/claude-code" },
  // Codex's legacy `notify` program gets {"type": "agent-turn-complete", "thread-id": …}.
  codex: {
    path: "/v1/hooks/codex",
    sessionId: (p) => str(p.session_id) ?? str(p["thread-id"]),
    eventName: (p) => str(p.hook_event_name) ?? str(p.type),
    ownTime: () => null,
    ignore: isCodexTitleThread,
    // Codex reports a turn's end twice when both its Stop hook and notify are installed: one key for
    // both, so ingest keeps the first and drops the other.
    naturalKey: (p) => {
      const session = str(p.session_id) ?? str(p["thread-id"]);
      const turn = p.turn_id ?? p["turn-id"];
      const isTurnEnd = p.hook_event_name === "Stop" || p.type === "agent-turn-complete";
      return isTurnEnd && session && (typeof turn === "string" || typeof turn === "number")
        ? `codex-turn-end:${turn}:${session}`.slice(0, 200)
        : null;
    },
  },
  gemini: {
    ...common,
    path: "/v1/hooks/gemini",
    ownTime: (p) => {
      const ms = typeof p.timestamp === "string" ? Date.parse(p.timestamp) : NaN;
      return Number.isFinite(ms) ? ms : null;
    },
  },
};

/** The hook event after which the agent's process may stay alive while its session is over. */
export const SESSION_END_EVENT = "SessionEnd";
