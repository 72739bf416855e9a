import type { ChannelType, NotificationPayload } from "../api/notifications";
import { type NotificationSummary, summarize } from "./message";

/** Where a delivery goes and with what: the secrets (url, token) never leave the worker. */
export interface ChannelTarget {
  type: Exclude<ChannelType, "webpush">;
  url: string;
  token: string | null;
}

/** One HTTP POST, described: the worker sends it. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Cuts to `max` code points, marking the cut. */
const cut = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
};

/**
 * Slack incoming webhook: `text` (the notification's fallback) and Block Kit `blocks`.
 * https://api.slack.com/messaging/webhooks — a section's text is at most 3000 characters, a context
 * block holds at most 10 elements (https://api.slack.com/reference/block-kit/blocks); `&`, `<`, `>`
 * are escaped in mrkdwn (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function slackBody(summary: NotificationSummary) {
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const lines = [`*${esc(summary.title)}*`];
  if (summary.detail) lines.push(esc(summary.detail));
  if (summary.url) lines.push(`<${summary.url}|Open in Pulse>`);
  const blocks: unknown[] = [{ type: "section", text: { type: "mrkdwn", text: cut(lines.join("\n"), 3000) } }];
  if (summary.facts.length > 0)
    blocks.push({
      type: "context",
      elements: summary.facts
        .slice(0, 10)
        .map((f) => ({ type: "mrkdwn", text: cut(`*${esc(f.label)}:* ${esc(f.value)}`, 3000) })),
    });
  return { text: cut(esc(summary.title), 3000), blocks };
}

/**
 * Discord webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook): `content`
 * up to 2000 characters, up to 10 `embeds` (title 256, description 4096, 25 fields of name 256 and
 * value 1024, 6000 characters in all: https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * `allowed_mentions.parse: []`: text from a session never pings anyone.
 */
export function discordBody(summary: NotificationSummary, payload: NotificationPayload) {
  const embed: Record<string, unknown> = {
    title: cut(summary.title, 256),
    color: payload.type === "session.resolved" ? 0x2ea043 : payload.type === "test" ? 0x5865f2 : 0xd29922,
    timestamp: payload.sent_at,
    fields: summary.facts
      .slice(0, 25)
      .map((f) => ({ name: cut(f.label, 256), value: cut(f.value, 1024), inline: true })),
  };
  if (summary.detail) embed.description = cut(summary.detail, 2000);
  if (summary.url) embed.url = summary.url;
  return {
    username: "Pulse",
    content: cut(summary.title, 2000),
    embeds: [embed],
    allowed_mentions: { parse: [] as string[] },
  };
}

const NTFY_LOOK: Record<NotificationPayload["type"], { priority: number; tags: string[] }> = {
  "session.waiting": { priority: 4, tags: ["bell"] },
  "session.idle": { priority: 3, tags: ["hourglass"] },
  "session.resolved": { priority: 2, tags: ["white_check_mark"] },
  test: { priority: 3, tags: ["test_tube"] },
};

/**
 * ntfy, published as JSON to the server's root (https://docs.ntfy.sh/publish/#publish-as-json):
 * `{topic, message, title, tags, priority, click}`. JSON rather than the topic URL with Title/Tags
 * headers: header values cannot carry a project's non-ASCII name. The channel's URL is the topic URL
 * (`https://ntfy.sh/mytopic`, or a server under a path): its last segment is the topic.
 */
export function ntfyRequestTarget(topicUrl: string): { rootUrl: string; topic: string } {
  const url = new URL(topicUrl);
  const segments = url.pathname.split("/");
  const topic = decodeURIComponent(segments.pop() ?? "");
  if (!topic) throw new Error("the ntfy URL must end with the topic (https://ntfy.sh/<topic>)");
  url.pathname = segments.join("/") + "/";
  url.search = "";
  return { rootUrl: url.toString(), topic };
}

export function ntfyBody(summary: NotificationSummary, payload: NotificationPayload, topic: string) {
  const lines = [summary.detail, summary.facts.map((f) => `${f.label}: ${f.value}`).join(" · ")].filter(Boolean);
  const look = NTFY_LOOK[payload.type];
  const body: Record<string, unknown> = {
    topic,
    title: cut(summary.title, 250),
    // ntfy keeps messages up to 4096 bytes as text (larger ones become attachments).
    message: cut(lines.join("\n") || summary.title, 1300),
    tags: look.tags,
    priority: look.priority,
  };
  if (summary.url) body.click = summary.url;
  return body;
}

/**
 * The request that delivers `payload` to a channel. Every type gets the same Idempotency-Key (the
 * delivery id) on every attempt, and the channel's token as a bearer token when it has one.
 */
export function deliveryRequest(channel: ChannelTarget, payload: NotificationPayload): OutgoingRequest {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "pulse",
    "idempotency-key": payload.delivery_id,
  };
  if (channel.token) headers.authorization = `Bearer ${channel.token}`;
  const summary = summarize(payload, Date.parse(payload.sent_at));
  switch (channel.type) {
    case "webhook":
      return { url: channel.url, headers, body: JSON.stringify(payload) };
    case "slack":
      return { url: channel.url, headers, body: JSON.stringify(slackBody(summary)) };
    case "discord":
      return { url: channel.url, headers, body: JSON.stringify(discordBody(summary, payload)) };
    case "ntfy": {
      const { rootUrl, topic } = ntfyRequestTarget(channel.url);
      return { url: rootUrl, headers, body: JSON.stringify(ntfyBody(summary, payload, topic)) };
    }
  }
}

/**
 * What a Web Push message carries (encrypted by web-push, RFC 8291) for the dashboard's service
 * worker to show: `showNotification(title, {body, tag, data: {url}})`. A push message holds at most
 * 4096 bytes after encryption (RFC 8030 §7.2), so the text is short. The tag is the wait's, so a
 * follow-up replaces the notification of the wait it resolves.
 */
export function webPushBody(payload: NotificationPayload): string {
  const summary = summarize(payload, Date.parse(payload.sent_at));
  const facts = summary.facts.map((f) => `${f.label}: ${f.value}`).join(" · ");
  return JSON.stringify({
    type: payload.type,
    delivery_id: payload.delivery_id,
    title: cut(summary.title, 200),
    body: cut([summary.detail, facts].filter(Boolean).join("\n"), 600),
    url: summary.url,
    tag: payload.session ? `pulse:${payload.session.id}:${payload.waiting_since}` : `pulse:${payload.delivery_id}`,
  });
}
