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
}

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

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
