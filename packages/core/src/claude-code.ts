import { z } from "zod";
import { NO_USAGE, requiredOr, sessionIdSchema } from "./event";
import { mappedEvent, summarizeToolInput } from "./agent-hooks";
import type { MappedEvent } from "./normalize";
import { optionalLine } from "./text";

export const CLAUDE_CODE_SOURCE = "claude-code";

/**
 * A Claude Code hook input, as Claude Code writes it to a hook's stdin. Only the fields Pulse reads
 * are checked; Claude Code adds fields over time and every other field is kept as it came.
 */
export const claudeCodeHookSchema = z.looseObject({
  session_id: sessionIdSchema,
  hook_event_name: z.string({ error: requiredOr("must be a string") }).trim().min(1, { error: "must not be empty" }).max(200),
  cwd: z.string().max(4096).nullish().catch(null),
});
export type ClaudeCodeHook = z.infer<typeof claudeCodeHookSchema>;

/** Notification types that mean the agent is blocked on the user, and the reason Pulse shows. */
const WAITING_NOTIFICATIONS: Record<string, string> = {
  permission_prompt: "permission",
  elicitation_dialog: "permission",
  idle_prompt: "idle",
};

const TOOL_EVENTS = new Set(["PreToolUse", "PostToolUse", "PermissionRequest"]);

const base = mappedEvent;

/** Lifecycle rule 1: Claude Code hook events onto event kinds. Unknown names are activity, never an error. */
export function mapClaudeCodeHook(hook: ClaudeCodeHook): MappedEvent {
  const name = hook.hook_event_name;
  const h = hook as Record<string, unknown>;
  switch (name) {
    case "SessionStart":
      return { ...base("start", name), detail: optionalLine(h.source, 100) };
    case "UserPromptSubmit":
      return { ...base("prompt", name), detail: optionalLine(h.prompt, 2000) };
    case "Stop":
      return { ...base("turn_end", name), detail: optionalLine(h.last_assistant_message, 2000) };
    case "SessionEnd": {
      const reason = optionalLine(h.reason, 500);
      return { ...base("end", name), detail: reason, end_reason: "session_end", end_detail: reason };
    }
    case "Notification": {
      const type = typeof h.notification_type === "string" ? h.notification_type : "";
      const waiting = WAITING_NOTIFICATIONS[type];
      const detail = optionalLine(h.message, 2000);
      // auth_success and notification types Pulse does not know do not block the agent.
      return waiting ? { ...base("attention", name), detail, waiting_reason: waiting } : { ...base("activity", name), detail };
    }
    default:
      if (TOOL_EVENTS.has(name)) {
        const tool = optionalLine(h.tool_name, 200);
        // PostToolUse is the one hook per completed call.
        const usage = name === "PostToolUse" ? { ...NO_USAGE, tool_call: "hook" as const } : null;
        return { ...base("tool", name), tool, detail: summarizeToolInput(h.tool_input) ?? tool, usage };
      }
      return { ...base("activity", name), detail: optionalLine(h.agent_type ?? h.trigger ?? h.message, 500) };
  }
}
