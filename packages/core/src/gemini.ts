import { z } from "zod";
import { mappedEvent, summarizeToolInput } from "./agent-hooks";
import { NO_USAGE, requiredOr, sessionIdSchema } from "./event";
import type { MappedEvent } from "./normalize";
import { optionalLine } from "./text";

export const GEMINI_SOURCE = "gemini";

/** A Gemini CLI hook input (session_id, transcript_path, cwd, hook_event_name, timestamp, …). */
export const geminiHookSchema = z.looseObject({
  session_id: sessionIdSchema,
  hook_event_name: z.string({ error: requiredOr("must be a string") }).trim().min(1, { error: "must not be empty" }).max(200),
  cwd: z.string().max(4096).nullish().catch(null),
  /** When it happened, stamped by Gemini CLI: the event's time. A malformed one is ignored, not fatal. */
  timestamp: z.string().nullish().catch(null),
});
export type GeminiHook = z.infer<typeof geminiHookSchema>;

/** Notification types that mean Gemini waits for the user, and the reason Pulse shows. */
const WAITING_NOTIFICATIONS: Record<string, string> = { ToolPermission: "permission" };

/** Gemini CLI hook events onto event kinds. */
export function mapGeminiHook(hook: GeminiHook): MappedEvent {
  const name = hook.hook_event_name;
  const h = hook as Record<string, unknown>;
  switch (name) {
    case "SessionStart":
      return { ...mappedEvent("start", name), detail: optionalLine(h.source ?? h.trigger, 100) };
    case "SessionEnd": {
      const reason = optionalLine(h.reason ?? h.trigger, 500);
      return { ...mappedEvent("end", name), detail: reason, end_reason: "session_end", end_detail: reason };
    }
    case "BeforeAgent":
      return { ...mappedEvent("prompt", name), detail: optionalLine(h.prompt, 2000) };
    case "AfterAgent":
      return { ...mappedEvent("turn_end", name), detail: optionalLine(h.prompt_response, 2000) };
    case "BeforeTool":
    case "AfterTool": {
      const tool = optionalLine(h.tool_name, 200);
      return {
        ...mappedEvent("tool", name),
        tool,
        detail: summarizeToolInput(h.tool_input) ?? tool,
        usage: name === "AfterTool" ? { ...NO_USAGE, tool_call: "hook" } : null,
      };
    }
    case "Notification": {
      const type = typeof h.notification_type === "string" ? h.notification_type : "";
      const waiting = WAITING_NOTIFICATIONS[type];
      const detail = optionalLine(h.message, 2000);
      return waiting ? { ...mappedEvent("attention", name), detail, waiting_reason: waiting } : { ...mappedEvent("activity", name), detail };
    }
    default:
      return mappedEvent("activity", name);
  }
}
