import { z } from "zod";
import { mappedEvent, summarizeToolInput } from "./agent-hooks";
import { NO_USAGE, requiredOr, sessionIdSchema } from "./event";
import type { MappedEvent } from "./normalize";
import { optionalLine } from "./text";

export const CODEX_SOURCE = "codex";

/** A Codex CLI hook input (session_id, turn_id, transcript_path, cwd, hook_event_name, model, …). */
export const codexHookSchema = z.looseObject({
  session_id: sessionIdSchema,
  hook_event_name: z.string({ error: requiredOr("must be a string") }).trim().min(1, { error: "must not be empty" }).max(200),
  cwd: z.string().max(4096).nullish().catch(null),
});
export type CodexHook = z.infer<typeof codexHookSchema>;

/**
 * Codex's legacy `notify` payload, which Codex passes to the notify program as its last argument:
 * {"type":"agent-turn-complete","thread-id","turn-id","cwd","input-messages","last-assistant-message"}.
 */
export const codexNotifySchema = z.looseObject({
  type: z.string({ error: requiredOr("must be a string") }).trim().min(1, { error: "must not be empty" }).max(200),
  "thread-id": sessionIdSchema,
  cwd: z.string().max(4096).nullish().catch(null),
});
export type CodexNotify = z.infer<typeof codexNotifySchema>;

/** Whether a body is the notify payload rather than a hook input. */
export function isCodexNotify(body: Record<string, unknown>): boolean {
  return "thread-id" in body || (typeof body.type === "string" && !("hook_event_name" in body));
}

const TOOL_EVENTS = new Set(["PreToolUse", "PostToolUse"]);

/**
 * Codex hooks onto event kinds, as for Claude Code except PermissionRequest (Codex's only sign that it
 * waits for an approval: attention, "permission"). Codex has no session-end hook: its sessions end by
 * process exit or timeout.
 */
export function mapCodexHook(hook: CodexHook): MappedEvent {
  const name = hook.hook_event_name;
  const h = hook as Record<string, unknown>;
  const model = optionalLine(h.model, 200);
  const usage = model ? { ...NO_USAGE, model } : null;
  switch (name) {
    case "SessionStart":
      return { ...mappedEvent("start", name), detail: optionalLine(h.source, 100), usage };
    case "UserPromptSubmit":
      return { ...mappedEvent("prompt", name), detail: optionalLine(h.prompt, 2000), usage };
    case "Stop":
      return { ...mappedEvent("turn_end", name), detail: optionalLine(h.last_assistant_message, 2000), usage };
    case "PermissionRequest": {
      // Codex has no notification hook: this is the only sign it waits for the user's approval.
      const tool = optionalLine(h.tool_name, 200);
      return { ...mappedEvent("attention", name), tool, detail: summarizeToolInput(h.tool_input) ?? tool, waiting_reason: "permission", usage };
    }
    default:
      if (TOOL_EVENTS.has(name)) {
        const tool = optionalLine(h.tool_name, 200);
        return {
          ...mappedEvent("tool", name),
          tool,
          detail: summarizeToolInput(h.tool_input) ?? tool,
          usage: { ...NO_USAGE, model, tool_call: name === "PostToolUse" ? "hook" : null },
        };
      }
      return { ...mappedEvent("activity", name), usage };
  }
}

/** `agent-turn-complete` ends a turn: the agent waits for the user. It carries the turn's prompt, which can title the session. */
export function mapCodexNotify(notify: CodexNotify): MappedEvent {
  const n = notify as Record<string, unknown>;
  if (notify.type !== "agent-turn-complete") return mappedEvent("activity", notify.type);
  const inputs = Array.isArray(n["input-messages"]) ? n["input-messages"] : [];
  return {
    ...mappedEvent("turn_end", notify.type),
    detail: optionalLine(n["last-assistant-message"], 2000),
    title: optionalLine(inputs.find((m) => typeof m === "string" && m.trim() !== ""), 2000),
  };
}
