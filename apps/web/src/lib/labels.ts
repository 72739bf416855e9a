import { AGENTS, agentById } from "@pulse/core/agents";
import { shortSessionId } from "@pulse/core/display";
import type { SessionJson } from "@pulse/core";

/** What the dashboard calls each status: "active" is the API's word, "working" the person's. */
export const STATUS_LABELS: Record<string, string> = { active: "working", waiting: "waiting", ended: "ended" };

/** Why a session waits (docs/lifecycle.md), as the badge says it. */
const WAITING_REASONS: Record<string, string> = {
  permission: "permission",
  question: "question",
  error: "API error",
  interrupted: "interrupted",
  idle: "idle",
  turn_end: "turn ended",
  attention: "attention",
};

const END_REASONS: Record<string, string> = {
  session_end: "exited",
  process_exit: "process exited",
  closed: "closed",
  stale: "timed out",
};

export const waitingReasonLabel = (reason: string | null) =>
  reason ? (WAITING_REASONS[reason] ?? reason.replaceAll("_", " ")) : null;

export const endReasonLabel = (reason: string | null) =>
  reason ? (END_REASONS[reason] ?? reason.replaceAll("_", " ")) : null;

/** The badge's one line: "working", "waiting · permission", "ended · timed out". */
export function statusDetail(session: Pick<SessionJson, "status" | "waiting_reason" | "end_reason">): string | null {
  if (session.status === "waiting") return waitingReasonLabel(session.waiting_reason);
  if (session.status === "ended") return endReasonLabel(session.end_reason);
  return null;
}

/** The few characters that tell a session apart on screen (the random part of a UUIDv7: see core's short-id.ts). */
export const shortId = shortSessionId;

/** What a session is called when it has no title yet (no prompt seen). */
export const sessionName = (session: Pick<SessionJson, "title" | "id">) =>
  session.title || `Session ${shortSessionId(session.id)}`;

/** The agents Pulse has an adapter for (packages/core/src/agents): the source filter always offers them. */
export const AGENT_SOURCES: readonly string[] = Object.keys(AGENTS);

/** An agent's name from its adapter; other sources (a custom agent, an exporter Pulse has no adapter for) by their id. */
export const sourceLabel = (source: string) =>
  agentById(source)?.label ?? (source === "otel" ? "OpenTelemetry" : source);

/** Event kinds as the timeline shows them. */
export const EVENT_KIND_LABELS: Record<string, string> = {
  start: "start",
  prompt: "prompt",
  tool: "tool",
  activity: "activity",
  turn_end: "turn end",
  attention: "needs you",
  end: "end",
};
