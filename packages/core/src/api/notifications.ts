/**
 * The notification routes' requests and answers (docs/notifications.md): channels, the shared
 * settings, tests. Ingest validates with these, /openapi.json is built from them, the dashboard and
 * the CLI read their types.
 */
import { z } from "zod";
import { canonicalTimeZone, TZ_ERROR } from "./requests";
import { sessionSchema } from "./responses";

const time = z.string().meta({ format: "date-time" });

/** Where a notification can go. `webpush`: a browser's push subscription (endpoint + keys). */
export const CHANNEL_TYPES = ["webhook", "slack", "ntfy", "discord", "webpush"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Waiting reasons a channel can notify on (docs/lifecycle.md). */
export const NOTIFY_REASONS = [
  "permission",
  "question",
  "error",
  "attention",
  "interrupted",
  "idle",
  "turn_end",
] as const;
export type NotifyReason = (typeof NOTIFY_REASONS)[number];
export const DEFAULT_NOTIFY_REASONS: readonly NotifyReason[] = ["permission", "question", "error"];

/** What a delivery says happened: a wait began, a notified wait ended, a long wait, a test. */
export const NOTIFICATION_TYPES = ["session.waiting", "session.resolved", "session.idle", "test"] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const MAX_SETTLE_SECONDS = 3600;
export const MAX_IDLE_MINUTES = 7 * 24 * 60;

/** Postgres text cannot hold U+0000: refused here (a 400 naming the field), not by the query (a 500). */
const noNul = (value: string) => !value.includes("\u0000");
const NUL_ERROR = { error: "must not contain U+0000 (NUL)" };

const httpUrl = z
  .string({ error: "is required" })
  .max(2000, { error: "must be at most 2000 characters" })
  .refine(noNul, NUL_ERROR)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" || url.protocol === "http:";
      } catch {
        return false;
      }
    },
    { error: "must be an http(s) URL" },
  );
const names = (what: string) =>
  z
    .array(z.string().min(1).max(200).refine(noNul, NUL_ERROR), { error: `must be an array of ${what}` })
    .max(100, { error: `must list at most 100 ${what}` });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time "HH:MM" (24 h)' });

/** The last segment of a URL's path; null when it is not a URL (refinements run after a field failed too). */
function topicOf(value: unknown): string | null {
  try {
    return new URL(String(value)).pathname.split("/").pop() ?? "";
  } catch {
    return null;
  }
}

/** `POST /v1/notifications/channels` */
export const channelCreateBody = z
  .object({
    name: z
      .string({ error: "is required" })
      .trim()
      .min(1, { error: "must not be empty" })
      .max(100, { error: "must be at most 100 characters" })
      .refine(noNul, NUL_ERROR),
    type: z.enum(CHANNEL_TYPES, { error: `must be one of ${CHANNEL_TYPES.join(", ")}` }),
    url: httpUrl.meta({ description: "The webhook, ntfy topic or push endpoint URL (a secret: answered masked)" }),
    token: z
      .string()
      .min(1)
      .max(1000)
      .refine(noNul, NUL_ERROR)
      .optional()
      .meta({ description: "Bearer token sent with each delivery (ntfy access token, a webhook secret)" }),
    push_keys: z
      .object({
        p256dh: z.string().min(1).max(200).refine(noNul, NUL_ERROR),
        auth: z.string().min(1).max(100).refine(noNul, NUL_ERROR),
      })
      .optional()
      .meta({ description: "webpush only: the subscription's keys" }),
    reasons: z
      .array(z.enum(NOTIFY_REASONS, { error: `must be among ${NOTIFY_REASONS.join(", ")}` }))
      .min(1, { error: "must list at least one reason" })
      .optional()
      .meta({ description: `Waiting reasons that notify (default ${DEFAULT_NOTIFY_REASONS.join(", ")})` }),
    projects: names("projects").optional().meta({ description: "Only these projects (default: all)" }),
    agents: names("agents").optional().meta({ description: "Only these agents (default: all)" }),
    settle_seconds: z
      .number({ error: "must be a number of seconds" })
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be at least 0" })
      .max(MAX_SETTLE_SECONDS, { error: `must be at most ${MAX_SETTLE_SECONDS}` })
      .optional()
      .meta({ description: "Seconds a wait must last before it notifies (default: the global setting)" }),
    notify_resolved: z.boolean({ error: "must be true or false" }).optional(),
    idle_minutes: z
      .number({ error: "must be a number of minutes" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(MAX_IDLE_MINUTES, { error: `must be at most ${MAX_IDLE_MINUTES}` })
      .nullable()
      .optional()
      .meta({ description: "Remind once when a session has waited (any reason) this many minutes" }),
    enabled: z.boolean({ error: "must be true or false" }).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.type === "webpush" && !body.push_keys)
      ctx.addIssue({ code: "custom", path: ["push_keys"], message: "is required for a webpush channel" });
    if (body.type !== "webpush" && body.push_keys)
      ctx.addIssue({ code: "custom", path: ["push_keys"], message: "is only for a webpush channel" });
    // ntfy is published to by topic: a server's URL alone could never be delivered to.
    if (body.type === "ntfy" && topicOf(body.url) === "")
      ctx.addIssue({ code: "custom", path: ["url"], message: "must be the topic's URL, e.g. https://ntfy.sh/<topic>" });
  });
export type ChannelCreateParams = z.input<typeof channelCreateBody>;

export const channelIdParams = z.object({ id: z.string().max(100).meta({ description: "A channel id" }) });

/** `POST /v1/notifications/test` */
export const notificationTestBody = z
  .object({
    channel: z
      .string()
      .min(1)
      .max(100)
      .refine(noNul, NUL_ERROR)
      .optional()
      .meta({ description: "A channel id or name; default: all" }),
  })
  .strict();
export type NotificationTestParams = z.input<typeof notificationTestBody>;

/** `PUT /v1/notifications/settings` */
export const notificationSettingsBody = z
  .object({
    settle_seconds: z
      .number({ error: "must be a number of seconds" })
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be at least 0" })
      .max(MAX_SETTLE_SECONDS, { error: `must be at most ${MAX_SETTLE_SECONDS}` })
      .optional(),
    quiet_hours: z
      .object({
        start: hhmm,
        end: hhmm,
        time_zone: z
          .string()
          .max(100)
          .default("UTC")
          .refine((tz) => canonicalTimeZone(tz) !== null, { error: TZ_ERROR })
          .meta({ description: "IANA time zone" }),
      })
      .nullable()
      .optional()
      .meta({ description: "Nothing is sent from start to end; waits still open at the end notify then" }),
  })
  .strict();
export type NotificationSettingsParams = z.input<typeof notificationSettingsBody>;

export const channelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(CHANNEL_TYPES),
    url: z.string().meta({ description: "Masked: scheme, host and the last 4 characters" }),
    has_token: z.boolean(),
    reasons: z.array(z.string()),
    projects: z.array(z.string()),
    agents: z.array(z.string()),
    settle_seconds: z.number().nullable(),
    notify_resolved: z.boolean(),
    idle_minutes: z.number().nullable(),
    enabled: z.boolean(),
    status: z
      .enum(["ok", "failing", "untested"])
      .meta({ description: "failing: the newest delivery failed (after its retries, or still retrying)" }),
    last_outcome: z.enum(["delivered", "failed"]).nullable(),
    last_error: z.string().nullable(),
    last_attempt_at: time.nullable(),
    last_delivered_at: time.nullable(),
    failing_since: time.nullable(),
    consecutive_failures: z.number(),
    created_at: time,
  })
  .meta({ id: "NotificationChannel" });

export const channelListSchema = z.object({ channels: z.array(channelSchema) }).meta({ id: "NotificationChannels" });

export const notificationTestResultSchema = z
  .object({
    results: z.array(
      z.object({
        channel: z.string(),
        name: z.string(),
        status: z.enum(["delivered", "failed", "pending"]),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "NotificationTestResult" });

export const notificationSettingsSchema = z
  .object({
    settle_seconds: z.number(),
    quiet_hours: z.object({ start: z.string(), end: z.string(), time_zone: z.string() }).nullable(),
  })
  .meta({ id: "NotificationSettings" });

/** What a generic webhook receives (and what the other channels' bodies are written from). */
export const notificationPayloadSchema = z
  .object({
    type: z.enum(NOTIFICATION_TYPES),
    /** Stable per (channel, session, wait start, type): a receiver can drop a repeat. Also the Idempotency-Key header. */
    delivery_id: z.string(),
    session: sessionSchema.nullable(),
    reason: z.string().nullable(),
    waiting_since: time.nullable(),
    url: z.string().nullable().meta({ description: "The session's page on the dashboard" }),
    sent_at: time,
  })
  .meta({ id: "NotificationPayload" });

export type ChannelJson = z.infer<typeof channelSchema>;
export type ChannelListJson = z.infer<typeof channelListSchema>;
export type NotificationTestResultJson = z.infer<typeof notificationTestResultSchema>;
export type NotificationSettingsJson = z.infer<typeof notificationSettingsSchema>;
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;
