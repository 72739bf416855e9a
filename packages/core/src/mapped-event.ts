import type { MappedEvent } from "./normalize";
import { optionalLine } from "./text";

/** A MappedEvent with every optional part empty. */
export function mappedEvent(kind: MappedEvent["kind"], name: string | null): MappedEvent {
  return {
    kind,
    name,
    detail: null,
    tool: null,
    waiting_reason: null,
    end_reason: null,
    end_detail: null,
    usage: null,
    title: null,
  };
}

/** The tool_input field that best says what a tool call does, in order of preference. */
const TOOL_SUMMARY_FIELDS = ["command", "file_path", "path", "pattern", "url", "query", "description", "prompt"];

/** One line saying what a tool call does, from its input (Claude Code's tool_input, Gemini's tool_input, Codex's). */
export function summarizeToolInput(input: unknown): string | null {
  if (!input || typeof input !== "object") return null;
  const record = input as Record<string, unknown>;
  for (const field of TOOL_SUMMARY_FIELDS) {
    const text = optionalLine(record[field], 500);
    if (text) return text;
  }
  return null;
}
