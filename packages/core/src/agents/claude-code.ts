import { mappedEvent, summarizeToolInput } from "../mapped-event";
import type { MappedEvent } from "../normalize";
import { optionalLine } from "../text";
import { NO_USAGE } from "../usage";
import type { AgentAdapter } from "./types";

/** Notification types that mean Claude Code is blocked on the user, and the reason Pulse shows. */
const WAITING_NOTIFICATIONS: Record<string, string> = {
  permission_prompt: "permission",
  elicitation_dialog: "question",
  idle_prompt: "idle",
};

/** Events that mean work goes on (status "active"), with the field that says best what. */
const WORKING_EVENTS: Record<string, string | null> = {
  SubagentStart: "agent_type",
  SubagentStop: "agent_type",
  PreCompact: "trigger",
  PostCompact: "trigger",
  PostToolBatch: null,
  MessageDisplay: null,
};

const modelUsage = (h: Record<string, unknown>) => {
  const model = optionalLine(h.model, 200);
  return model ? { ...NO_USAGE, model } : null;
};

/** Lifecycle rule 1: Claude Code hook events onto events. */
function mapHook(h: Record<string, unknown>): MappedEvent {
  const name = String(h.hook_event_name);
  const tool = optionalLine(h.tool_name, 200);
  const toolDetail = () => summarizeToolInput(h.tool_input) ?? tool;
  switch (name) {
    case "SessionStart":
      return { ...mappedEvent("start", name), detail: optionalLine(h.source, 100), usage: modelUsage(h) };
    case "UserPromptSubmit":
      return { ...mappedEvent("prompt", name), detail: optionalLine(h.prompt, 2000) };
    case "Stop":
      return { ...mappedEvent("turn_end", name), detail: optionalLine(h.last_assistant_message, 2000) };
    case "StopFailure":
      // The turn ended on an API error: no Stop follows. The user has to act (retry, fix the key).
      return {
        ...mappedEvent("attention", name),
        waiting_reason: "error",
        detail: optionalLine(h.last_assistant_message ?? h.error, 2000),
        usage: { ...NO_USAGE, api_error: true },
      };
    case "SessionEnd": {
      const reason = optionalLine(h.reason, 500);
      return { ...mappedEvent("end", name), detail: reason, end_reason: "session_end", end_detail: reason };
    }
    case "PermissionRequest":
      // Fires as the dialog opens (~0.1 s); Notification permission_prompt only follows 6 s later.
      return { ...mappedEvent("attention", name), waiting_reason: "permission", tool, detail: toolDetail() };
    case "PreToolUse":
      return { ...mappedEvent("tool", name), tool, detail: toolDetail() };
    case "PostToolUse":
      // The one hook per completed call.
      return { ...mappedEvent("tool", name), tool, detail: toolDetail(), usage: { ...NO_USAGE, tool_call: "hook" } };
    case "PostToolUseFailure":
      // Esc while a tool runs: the turn stops and waits for the user. Otherwise the tool failed and
      // the model goes on with the error (a completed call).
      return h.is_interrupt === true
        ? { ...mappedEvent("attention", name), waiting_reason: "interrupted", tool, detail: toolDetail() }
        : { ...mappedEvent("tool", name), tool, detail: toolDetail(), usage: { ...NO_USAGE, tool_call: "hook" } };
    case "Notification": {
      const type = typeof h.notification_type === "string" ? h.notification_type : "";
      // Own keys only: `notification_type: "constructor"` found Object's and failed the request (500).
      const waiting = Object.hasOwn(WAITING_NOTIFICATIONS, type) ? WAITING_NOTIFICATIONS[type] : undefined;
      const detail = optionalLine(h.message, 2000);
      // auth_success and types Pulse does not know say nothing about whether the agent works.
      return waiting
        ? { ...mappedEvent("attention", name), detail, waiting_reason: waiting }
        : { ...mappedEvent("activity", name), detail, signal: "bookkeeping" };
    }
    default:
      if (Object.hasOwn(WORKING_EVENTS, name)) {
        const field = WORKING_EVENTS[name];
        return { ...mappedEvent("activity", name), detail: field ? optionalLine(h[field], 500) : null };
      }
      // A hook event added by a later release: kept and counted, but it does not move the status
      // until Pulse knows what it means (a new event may fire at odd times, e.g. on registration).
      return { ...mappedEvent("activity", name), detail: optionalLine(h.message, 500), signal: "bookkeeping" };
  }
}

/** Claude Code's own reports on its hooks and internals. */
const BOOKKEEPING_RECORDS = /(^|\.)(hook_execution_start|hook_execution_complete|hook_registered)$/;

export const claudeCode: AgentAdapter = {
  id: "claude-code",
  label: "Claude Code",
  hookRoute: "/v1/hooks/claude-code",
  // Not installed: PostToolBatch (PostToolUse already reports each call) and MessageDisplay (fires
  // for every streamed message part). Both are mapped should a user install them.
  hookEvents: [
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "PostToolUseFailure",
    "Notification",
    "Stop",
    "StopFailure",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "SessionEnd",
  ],
  mapHook,
  process: { names: ["claude"], never: [], ownHooks: [] },
  otel: {
    serviceNames: ["claude-code"],
    sessionAttributes: ["session.id"],
    recordSignal: (eventName) => (BOOKKEEPING_RECORDS.test(eventName) ? "bookkeeping" : "telemetry"),
    carries: {
      tokens: ["api_request"],
      cost: ["api_request"],
      model: ["api_request", "api_error"],
      prompt: ['user_prompt ("<REDACTED>" unless OTEL_LOG_USER_PROMPTS=1)'],
    },
  },
  // Claude Code reports its own cost (api_request cost_usd); its input_tokens leave the cache out, as Anthropic's API does.
  pricing: { provider: "anthropic", inputIncludesCache: false },
  notes: {
    ends: "SessionEnd (/exit, /clear, logout, a closed terminal: reason `other`); a kill -9 or crash is seen by the watcher.",
    trust: "Hooks run in any folder once the folder's trust dialog was accepted.",
    quirks: [
      "An API error ends the turn with StopFailure, no Stop.",
      'Esc during a tool or while the model streams, and "No" to a permission dialog, fire no hook: the watcher reads the transcript.',
      'The OpenTelemetry user_prompt record is stamped ~20 ms before the UserPromptSubmit hook and carries "<REDACTED>".',
      "OTEL_* variables are stripped from hook processes.",
    ],
  },
};
