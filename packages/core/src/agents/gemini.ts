import { mappedEvent, summarizeToolInput } from "../mapped-event";
import type { MappedEvent } from "../normalize";
import { optionalLine } from "../text";
import { NO_USAGE } from "../usage";
import type { AgentAdapter } from "./types";

/** Notification types that mean Gemini waits for the user, and the reason Pulse shows. */
const WAITING_NOTIFICATIONS: Record<string, string> = { ToolPermission: "permission" };

/** Events that mean work goes on. */
const WORKING_EVENTS = new Set(["PreCompress", "BeforeModel", "AfterModel", "BeforeToolSelection"]);

function mapHook(h: Record<string, unknown>): MappedEvent {
  const name = String(h.hook_event_name);
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
      // Own keys only (a type named like a prototype property is no waiting reason).
      const waiting = Object.hasOwn(WAITING_NOTIFICATIONS, type) ? WAITING_NOTIFICATIONS[type] : undefined;
      const detail = optionalLine(h.message, 2000);
      return waiting
        ? { ...mappedEvent("attention", name), detail, waiting_reason: waiting }
        : { ...mappedEvent("activity", name), detail, signal: "bookkeeping" };
    }
    default:
      if (WORKING_EVENTS.has(name)) return mappedEvent("activity", name);
      return { ...mappedEvent("activity", name), signal: "bookkeeping" };
  }
}

export const gemini: AgentAdapter = {
  id: "gemini",
  label: "Gemini CLI",
  hookRoute: "/v1/hooks/gemini",
  // BeforeModel/AfterModel/BeforeToolSelection fire around every model call: mapped, not installed.
  hookEvents: [
    "SessionStart",
    "SessionEnd",
    "BeforeAgent",
    "AfterAgent",
    "BeforeTool",
    "AfterTool",
    "Notification",
    "PreCompress",
  ],
  mapHook,
  // SessionEnd may fire 2–3 times per quit (0.61): one key per session, so it counts once.
  hookKey: (h) => (h.hook_event_name === "SessionEnd" ? "gemini-session-end" : null),
  hookTime(h) {
    const ms = typeof h.timestamp === "string" ? Date.parse(h.timestamp) : NaN;
    return Number.isFinite(ms) ? ms : null;
  },
  process: { names: ["gemini"], never: [], ownHooks: [] },
  otel: {
    serviceNames: ["gemini-cli"],
    sessionAttributes: ["session.id"],
    // Logged after each hook has run, i.e. after Pulse's own AfterAgent and SessionEnd.
    recordSignal: (eventName) => (/(^|\.)hook_call$/.test(eventName) ? "bookkeeping" : "telemetry"),
    carries: {
      tokens: ["api_response"],
      cost: [],
      model: ["api_response", "api_request"],
      prompt: ["user_prompt (length only: prompt_length)"],
    },
  },
  // Gemini's input_token_count is promptTokenCount, which includes cached_content_token_count.
  pricing: { provider: "google", inputIncludesCache: true },
  notes: {
    ends: "SessionEnd (/quit, Ctrl+C twice, /clear: reason `clear`), possibly 2–3 times per quit; kill -9 is seen by the watcher.",
    trust:
      "Hooks, user-level ones included, run only in trusted folders (`~/.gemini/trustedFolders.json`); headless in an untrusted folder exits 55 unless `--skip-trust`.",
    quirks: [
      "A hook's stderr is shown to the user when its stdout is empty: `pulse hook` prints nothing.",
      "Telemetry goes to an OTLP/HTTP endpoint as JSON (protobuf only over gRPC) when settings.json enables it.",
      "Tokens but no cost: Pulse estimates the cost.",
    ],
  },
};
