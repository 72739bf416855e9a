import { z } from "zod";
import { isCodexNotify } from "./agents";
import type { AgentAdapter } from "./agents";
import { requiredOr, sessionIdSchema } from "./event";

const eventName = z
  .string({ error: requiredOr("must be a string") })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(200);
const cwd = z.string().max(4096).nullish().catch(null);

/**
 * A hook input as an agent writes it to a hook's stdin (Claude Code, Codex, Gemini CLI share these
 * fields). Only what Pulse needs to route it is checked; agents add fields over time and every other
 * field is kept as it came, for the agent's adapter to read.
 */
export const hookInputSchema = z.looseObject({ session_id: sessionIdSchema, hook_event_name: eventName, cwd });

/**
 * Codex's legacy `notify` payload, which Codex passes to the notify program as its last argument:
 * {"type":"agent-turn-complete","thread-id","turn-id","cwd","input-messages","last-assistant-message"}.
 */
export const codexNotifySchema = z.looseObject({ type: eventName, "thread-id": sessionIdSchema, cwd });

/** What every hook payload has once checked: the session, the event, the working directory. */
export interface HookInput {
  sessionId: string;
  cwd: string | null;
  body: Record<string, unknown>;
}

/** Checks a hook payload for an agent; throws the zod error (the route answers 400 naming the field). */
export function parseHookInput(agent: AgentAdapter, body: Record<string, unknown>): HookInput {
  if (agent.id === "codex" && isCodexNotify(body)) {
    const notify = codexNotifySchema.parse(body);
    return { sessionId: notify["thread-id"], cwd: notify.cwd ?? null, body: notify };
  }
  const hook = hookInputSchema.parse(body);
  return { sessionId: hook.session_id, cwd: hook.cwd ?? null, body: hook };
}
