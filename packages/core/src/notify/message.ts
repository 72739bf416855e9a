import type { SessionJson } from "../api/responses";
import type { NotificationPayload, NotificationType } from "../api/notifications";
import { oneLine } from "../text";

/** What one delivery says, before it is written for a channel type. */
export interface NotificationInput {
  type: NotificationType;
  deliveryId: string;
  /** The session as it is now; null for a test (or a session deleted since). */
  session: SessionJson | null;
  /** The waiting reason of the wait notified; null when unknown (the wait has ended) or a test. */
  reason: string | null;
  /** Start of the wait (the delivery's wait start); null for a test. */
  waitingSinceMs: number | null;
  /** The dashboard's base URL, e.g. http://127.0.0.1:3000 */
  dashboardUrl: string;
  nowMs: number;
}

/** The session's page on the dashboard. */
export function sessionLink(dashboardUrl: string, sessionId: string): string {
  return `${dashboardUrl.replace(/\/+$/, "")}/sessions/${encodeURIComponent(sessionId)}`;
}

/** The generic webhook's JSON (api/notifications.ts notificationPayloadSchema); the other bodies are written from it. */
export function notificationPayload(input: NotificationInput): NotificationPayload {
  return {
    type: input.type,
    delivery_id: input.deliveryId,
    session: input.session,
    reason: input.reason,
    waiting_since: input.waitingSinceMs === null ? null : new Date(input.waitingSinceMs).toISOString(),
    url: input.session ? sessionLink(input.dashboardUrl, input.session.id) : input.dashboardUrl,
    sent_at: new Date(input.nowMs).toISOString(),
  };
}

/** "12 s", "4 min", "2 h 5 min", "3 d 2 h". */
export function waitedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const REASON_TEXT: Record<string, string> = {
  permission: "a permission",
  question: "an answer",
  error: "you after an error",
  attention: "your attention",
  interrupted: "you after an interrupted turn",
  idle: "a new prompt",
  turn_end: "a new prompt",
};

/** A notification in words: the same for every channel type, each lays it out its own way. */
export interface NotificationSummary {
  /** One line: who waits for what. */
  title: string;
  /** What the wait is for (the tool and its command, the question, the error), if known. */
  detail: string | null;
  /** Project, agent, host, how long: label → value, only those known. */
  facts: Array<{ label: string; value: string }>;
  /** The dashboard link. */
  url: string | null;
}

export function summarize(payload: NotificationPayload, nowMs: number): NotificationSummary {
  const s = payload.session;
  const name = s ? (s.project ?? s.title ?? s.id) : "Pulse";
  const since = payload.waiting_since ? Date.parse(payload.waiting_since) : null;
  const waited = since === null ? null : waitedText(nowMs - since);
  const title = oneLine(
    payload.type === "test"
      ? "Pulse test notification: this channel works"
      : payload.type === "session.resolved"
        ? `${name} no longer waits on you`
        : payload.type === "session.idle"
          ? `${name} has been waiting for ${waited ?? "a while"}`
          : `${name} needs ${payload.reason ? (REASON_TEXT[payload.reason] ?? payload.reason) : "you"}`,
    200,
  );
  const facts: NotificationSummary["facts"] = [];
  if (s?.project) facts.push({ label: "Project", value: s.project });
  if (s) facts.push({ label: "Agent", value: s.source });
  if (s?.host) facts.push({ label: "Host", value: s.host });
  if (payload.reason) facts.push({ label: "Reason", value: payload.reason });
  if (waited && payload.type !== "session.resolved") facts.push({ label: "Waiting", value: waited });
  if (s?.title && s.title !== name) facts.push({ label: "Session", value: oneLine(s.title, 200) });
  const detail = payload.type === "session.resolved" || !s?.waiting_detail ? null : oneLine(s.waiting_detail, 1000);
  return { title, detail, facts, url: payload.url };
}
