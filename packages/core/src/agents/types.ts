import type { Signal } from "../event";
import type { MappedEvent } from "../normalize";

/**
 * Everything Pulse knows about one coding agent, in one place (one file per agent). Ingest's hook
 * routes, `pulse hooks install`, `pulse hook`, the watcher, `pulse otel env` and the dashboard read
 * their facts from here. Zod-free on purpose: the CLI loads adapters on the hook's hot path.
 */
export interface AgentAdapter {
  /** The session's agent, as stored (`source`) and as the CLI's `--agent` names it. */
  id: string;
  /** How people call it. */
  label: string;
  /** Ingest's route for this agent's hook payloads. */
  hookRoute: string;
  /**
   * The hook events `pulse hooks install` installs, from what the released binary fires (checked on
   * the real binaries, see ../shared/fixtures/real). Events left out are said why in the adapter.
   */
  hookEvents: readonly string[];
  /**
   * One hook payload (already checked to have a session id and an event name) onto an event. `null`:
   * the payload is not about a user's session (e.g. Codex's title generator) and is not stored.
   */
  mapHook(hook: Record<string, unknown>): MappedEvent | null;
  /** An idempotency key the payload has by nature: two deliveries that report the same thing share it. */
  hookKey?(hook: Record<string, unknown>): string | null;
  /** The payload's own time (epoch ms), when the agent stamps one. */
  hookTime?(hook: Record<string, unknown>): number | null;
  /** How the watcher finds the agent's process among the hook's ancestors. */
  process: {
    /** Executable names (basename of argv[0] or of the node script) that are this agent. */
    names: readonly string[];
    /**
     * Arguments (whole, never substrings) of a command line that is never a session's process: a
     * shared server that runs the hooks of many sessions and outlives them (Codex's `app-server`). The
     * session's process is then one of its clients.
     */
    never: readonly string[];
    /** Subcommands that run their hooks in their own process (`codex exec`): found up the hook's parent chain. */
    ownHooks: readonly string[];
    /** The variable naming the agent's home (a shared server serves one), and its default under $HOME. */
    homeVariable?: { name: string; defaultDir: string };
  };
  otel: {
    /** OpenTelemetry `service.name` values this agent exports under. */
    serviceNames: readonly string[];
    /** Record attributes that name the session, in order of preference. */
    sessionAttributes: readonly string[];
    /** Telemetry or bookkeeping, by the record's event name (lifecycle rule 1). */
    recordSignal(eventName: string): Exclude<Signal, "status" | "liveness">;
    /** Which records carry tokens, cost, model and prompts (documentation, and the adapter test). */
    carries: {
      tokens: readonly string[];
      cost: readonly string[];
      model: readonly string[];
      prompt: readonly string[];
    };
  };
  /**
   * How Pulse estimates a cost when the agent reports tokens and a model but no cost (pricing.ts):
   * whose list prices apply (a provider id of `@pydantic/genai-prices`), and whether the agent's
   * input token count already includes the cached tokens (OpenAI's and Gemini's APIs count them in;
   * Anthropic's reports them beside it).
   */
  pricing: { provider: "anthropic" | "openai" | "google"; inputIncludesCache: boolean };
  /** How its sessions end, and what needs trust before hooks run: documentation for docs/agents.md. */
  notes: { ends: string; trust: string; quirks: readonly string[] };
}
