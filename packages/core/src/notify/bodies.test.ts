import { z } from "zod";
import { notificationPayloadSchema } from "../api/notifications";
import type { SessionJson } from "../api/responses";
import { deliveryRequest, webPushBody } from "./bodies";
import { notificationPayload, type NotificationInput } from "./message";

// Each service's documented format, written as a zod schema: a body that parses is one the service
// accepts. Strict objects: a field the service does not document is a mistake here.

/**
 * Slack incoming webhooks: https://api.slack.com/messaging/webhooks (a JSON payload with `text`,
 * optionally `blocks`); blocks: https://api.slack.com/reference/block-kit/blocks (section text ≤ 3000
 * characters; context: 1–10 elements; at most 50 blocks); text objects:
 * https://api.slack.com/reference/block-kit/composition-objects#text (type plain_text | mrkdwn).
 */
const slackText = z.object({ type: z.enum(["plain_text", "mrkdwn"]), text: z.string().min(1).max(3000) }).strict();
const slackSchema = z
  .object({
    text: z.string().min(1),
    blocks: z
      .array(
        z.discriminatedUnion("type", [
          z.object({ type: z.literal("section"), text: slackText }).strict(),
          z.object({ type: z.literal("context"), elements: z.array(slackText).min(1).max(10) }).strict(),
        ]),
      )
      .max(50)
      .optional(),
  })
  .strict();

/**
 * Discord execute webhook: https://discord.com/developers/docs/resources/webhook#execute-webhook
 * (`content` ≤ 2000, `username`, `embeds` ≤ 10, `allowed_mentions`; one of content/embeds required);
 * embed limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * (title 256, description 4096, ≤ 25 fields, field name 256 and value 1024, 6000 characters in all).
 */
const discordEmbed = z
  .object({
    title: z.string().max(256).optional(),
    description: z.string().max(4096).optional(),
    url: z.url().optional(),
    timestamp: z.iso.datetime().optional(),
    color: z.number().int().min(0).max(0xffffff).optional(),
    fields: z
      .array(z.object({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024), inline: z.boolean() }))
      .max(25)
      .optional(),
  })
  .strict();
const discordSchema = z
  .object({
    content: z.string().max(2000).optional(),
    username: z
      .string()
      .min(1)
      .max(80)
      .refine((u) => !/discord/i.test(u), "may not contain 'discord'")
      .optional(),
    embeds: z.array(discordEmbed).max(10).optional(),
    allowed_mentions: z.object({ parse: z.array(z.enum(["roles", "users", "everyone"])) }).optional(),
  })
  .strict()
  .refine((b) => b.content || b.embeds?.length, "content or embeds is required")
  .refine(
    (b) =>
      (b.embeds ?? []).reduce(
        (n, e) =>
          n +
          (e.title?.length ?? 0) +
          (e.description?.length ?? 0) +
          (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
        0,
      ) <= 6000,
    "embeds hold at most 6000 characters in all",
  );

/**
 * ntfy publish as JSON to the server root: https://docs.ntfy.sh/publish/#publish-as-json (`topic`
 * required; `message`, `title`, `tags` (array of strings), `priority` 1–5, `click` a URL).
 */
const ntfySchema = z
  .object({
    topic: z
      .string()
      .min(1)
      .regex(/^[-_A-Za-z0-9]{1,64}$/),
    message: z.string().min(1).max(4096),
    title: z.string().optional(),
    tags: z.array(z.string()).optional(),
    priority: z.number().int().min(1).max(5).optional(),
    click: z.url().optional(),
  })
  .strict();

const T = Date.UTC(2026, 11, 2, 9, 0, 0);

function session(over: Partial<SessionJson> = {}): SessionJson {
  return {
    id: "sess/1 ü",
    source: "claude-code",
    project: "pulse <&> ☃",
    cwd: "/w/pulse",
    host: "devbox",
    title: "Fix the reaper",
    status: "waiting",
    waiting_reason: "permission",
    end_reason: null,
    end_detail: null,
    started_at: new Date(T - 600_000).toISOString(),
    last_event_at: new Date(T - 90_000).toISOString(),
    alive_at: null,
    waiting_since: new Date(T - 90_000).toISOString(),
    waiting_detail: "Bash: rm -rf build && npm run build",
    waited_ms: 0,
    ended_at: null,
    duration_ms: 600_000,
    event_count: 12,
    reopen_count: 0,
    parent_session_id: null,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_tokens: 0,
    cost_usd: 0,
    estimated_cost_usd: 0,
    model: null,
    api_errors: 0,
    tool_calls: 3,
    span_count: 0,
    ...over,
  };
}

const input = (over: Partial<NotificationInput> = {}): NotificationInput => ({
  type: "session.waiting",
  deliveryId: "nd-abc",
  session: session(),
  reason: "permission",
  waitingSinceMs: T - 90_000,
  dashboardUrl: "http://127.0.0.1:3000/",
  nowMs: T,
  ...over,
});

const KINDS: Array<[string, Partial<NotificationInput>]> = [
  ["waiting", {}],
  ["resolved", { type: "session.resolved", session: session({ status: "active", waiting_since: null }), reason: null }],
  ["idle", { type: "session.idle", reason: "idle" }],
  ["test", { type: "test", session: null, reason: null, waitingSinceMs: null }],
  [
    "huge texts",
    {
      session: session({ waiting_detail: "x".repeat(50_000), title: "t".repeat(5000), project: "p".repeat(300) }),
    },
  ],
];

describe("the generic webhook", () => {
  it.each(KINDS)(
    "%s: is the documented payload, with the link, the Idempotency-Key, the token and our User-Agent",
    (_, over) => {
      const payload = notificationPayload(input(over));
      const req = deliveryRequest({ type: "webhook", url: "https://example.test/hook", token: "s3cret" }, payload);
      expect(req.url).toBe("https://example.test/hook");
      const body = notificationPayloadSchema.parse(JSON.parse(req.body));
      expect(body).toEqual(payload);
      expect(req.headers).toMatchObject({
        "content-type": "application/json",
        "idempotency-key": "nd-abc",
        authorization: "Bearer s3cret",
        "user-agent": "pulse",
      });
    },
  );

  it("links to the session's page and states the wait", () => {
    const payload = notificationPayload(input());
    expect(payload).toMatchObject({
      type: "session.waiting",
      delivery_id: "nd-abc",
      reason: "permission",
      waiting_since: new Date(T - 90_000).toISOString(),
      url: "http://127.0.0.1:3000/sessions/sess%2F1%20%C3%BC",
      sent_at: new Date(T).toISOString(),
    });
    expect(payload.session?.id).toBe("sess/1 ü");
    const test = notificationPayload(input({ type: "test", session: null }));
    expect(test.url).toBe("http://127.0.0.1:3000/");
  });

  it("sends no Authorization header without a token", () => {
    const req = deliveryRequest(
      { type: "webhook", url: "https://e.test/h", token: null },
      notificationPayload(input()),
    );
    expect(req.headers.authorization).toBeUndefined();
  });
});

describe("Slack", () => {
  it.each(KINDS)("%s: is an incoming-webhook message", (_, over) => {
    const req = deliveryRequest(
      { type: "slack", url: "https://hooks.slack.com/services/T/B/X", token: null },
      notificationPayload(input(over)),
    );
    expect(req.url).toBe("https://hooks.slack.com/services/T/B/X");
    slackSchema.parse(JSON.parse(req.body));
  });

  it("says what the session waits for, where, how long, with a link, mrkdwn-escaped", () => {
    const body = slackSchema.parse(
      JSON.parse(
        deliveryRequest({ type: "slack", url: "https://h.test/x", token: null }, notificationPayload(input())).body,
      ),
    );
    expect(body.text).toBe("pulse &lt;&amp;&gt; ☃ needs a permission");
    const all = JSON.stringify(body.blocks);
    expect(all).toContain("Bash: rm -rf build &amp;&amp; npm run build");
    expect(all).toContain("<http://127.0.0.1:3000/sessions/sess%2F1%20%C3%BC|Open in Pulse>");
    expect(all).toContain("*Agent:* claude-code");
    expect(all).toContain("*Host:* devbox");
    expect(all).toContain("*Waiting:* 1 min");
  });
});

describe("Discord", () => {
  it.each(KINDS)("%s: is an execute-webhook body within Discord's limits", (_, over) => {
    const req = deliveryRequest(
      { type: "discord", url: "https://discord.com/api/webhooks/1/t", token: null },
      notificationPayload(input(over)),
    );
    discordSchema.parse(JSON.parse(req.body));
  });

  it("pings no one and carries the wait in an embed", () => {
    const body = JSON.parse(
      deliveryRequest({ type: "discord", url: "https://d.test/x", token: null }, notificationPayload(input())).body,
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]).toMatchObject({
      title: "pulse <&> ☃ needs a permission",
      description: "Bash: rm -rf build && npm run build",
      url: "http://127.0.0.1:3000/sessions/sess%2F1%20%C3%BC",
    });
    expect(body.embeds[0].fields).toContainEqual({ name: "Waiting", value: "1 min", inline: true });
  });
});

describe("ntfy", () => {
  it.each(KINDS)("%s: is published as JSON to the server's root, for the URL's topic", (_, over) => {
    const req = deliveryRequest(
      { type: "ntfy", url: "https://ntfy.sh/pulse_alerts-1", token: "tk_x" },
      notificationPayload(input(over)),
    );
    expect(req.url).toBe("https://ntfy.sh/");
    expect(req.headers.authorization).toBe("Bearer tk_x");
    const body = ntfySchema.parse(JSON.parse(req.body));
    expect(body.topic).toBe("pulse_alerts-1");
    expect(Buffer.byteLength(body.message)).toBeLessThanOrEqual(4096);
  });

  it("keeps a self-hosted server's path and sets title, priority, tags and the click link", () => {
    const req = deliveryRequest(
      { type: "ntfy", url: "https://example.test/ntfy/mytopic?x=1", token: null },
      notificationPayload(input()),
    );
    expect(req.url).toBe("https://example.test/ntfy/");
    const body = ntfySchema.parse(JSON.parse(req.body));
    expect(body).toMatchObject({
      topic: "mytopic",
      title: "pulse <&> ☃ needs a permission",
      priority: 4,
      click: "http://127.0.0.1:3000/sessions/sess%2F1%20%C3%BC",
    });
    expect(body.message).toContain("Bash: rm -rf build && npm run build");
    expect(body.message).toContain("Host: devbox");
  });

  it("refuses a URL without a topic", () => {
    expect(() =>
      deliveryRequest({ type: "ntfy", url: "https://ntfy.sh/", token: null }, notificationPayload(input())),
    ).toThrow(/topic/);
  });
});

describe("Web Push", () => {
  // What the dashboard's service worker reads; a push message holds at most 4096 bytes once encrypted
  // (RFC 8030 section 7.2; aes128gcm adds 86 bytes and web-push pads nothing).
  const webPushSchema = z
    .object({
      type: z.enum(["session.waiting", "session.resolved", "session.idle", "test"]),
      delivery_id: z.string(),
      title: z.string().min(1),
      body: z.string(),
      url: z.string().nullable(),
      tag: z.string().min(1),
    })
    .strict();

  it.each(KINDS)("%s: fits a push message and says what the notification shows", (_, over) => {
    const text = webPushBody(notificationPayload(input(over)));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096 - 86);
    webPushSchema.parse(JSON.parse(text));
  });

  it("tags a wait's notifications alike, so its follow-up replaces it", () => {
    const waiting = JSON.parse(webPushBody(notificationPayload(input())));
    const resolved = JSON.parse(webPushBody(notificationPayload(input({ type: "session.resolved" }))));
    expect(waiting.tag).toBe(resolved.tag);
    expect(waiting).toMatchObject({
      title: "pulse <&> ☃ needs a permission",
      url: "http://127.0.0.1:3000/sessions/sess%2F1%20%C3%BC",
    });
    expect(waiting.body).toContain("Bash: rm -rf build && npm run build");
  });
});
