import type { SessionJson } from "@pulse/core";
import { sessionName, sourceLabel } from "./labels";

/** What a wait is for, as the end of "… waits for …". */
const AWAITED: Record<string, string> = {
  permission: "permission",
  question: "your answer",
  error: "you after an API error",
  attention: "you",
};

/**
 * The browser notification for a wait on the user: "acme-api · Claude Code waits for permission",
 * with what it is for ("Bash: npm test", the question, the error) as its body.
 */
export function waitNotification(
  session: Pick<SessionJson, "id" | "project" | "source" | "title" | "waiting_reason" | "waiting_detail">,
): { title: string; body: string } {
  const who = `${session.project ?? "No project"} · ${sourceLabel(session.source)}`;
  const awaited = AWAITED[session.waiting_reason ?? ""] ?? "you";
  return { title: `${who} waits for ${awaited}`, body: session.waiting_detail ?? sessionName(session) };
}
