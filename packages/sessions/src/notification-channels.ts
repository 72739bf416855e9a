/**
 * Notification channels, the shared notification settings and test deliveries, as the API manages
 * them (docs/notifications.md). A channel's URL and token are secrets: they leave this file only
 * masked (`channelToJson`), and an error raised while storing them has them cut out first, since
 * errors are logged.
 */
import { randomBytes } from "node:crypto";
import { maskSecretUrl, redactSecrets } from "@pulse/core";
import {
  canonicalTimeZone,
  type ChannelCreateParams,
  type ChannelJson,
  DEFAULT_NOTIFY_REASONS,
  type NotificationSettingsJson,
  type NotificationSettingsParams,
} from "@pulse/core/api";
import type { PrismaClient } from "@pulse/db";
import { readNotifySettings } from "./notifications";
import { withDeadlockRetry } from "./retry";

type ChannelRow = NonNullable<Awaited<ReturnType<PrismaClient["notificationChannel"]["findUnique"]>>>;
type DeliveryRow = NonNullable<Awaited<ReturnType<PrismaClient["notificationDelivery"]["findUnique"]>>>;

/** A channel with this name exists already (names are unique: the CLI and tests pick channels by name). */
export class ChannelNameTakenError extends Error {
  constructor(readonly channelName: string) {
    super(`a channel named "${channelName}" exists already`);
  }
}

/** The quiet hours' time zone is not one Node (and Postgres) know. */
export class InvalidTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`"${timeZone.slice(0, 100)}" is not an IANA time zone`);
  }
}

/** Crockford's base32: ids that read aloud and never hold a ":" (a BullMQ job id may hold two). */
const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
function randomBase32(length: number): string {
  return [...randomBytes(length)].map((byte) => BASE32[byte & 31]).join("");
}
const newChannelId = () => `ch_${randomBase32(16)}`;

/**
 * Replaces every secret in an error (its message, stack and string fields, and its causes') before
 * it is thrown on towards a logger. Its codes are kept, so an outage is still read as one.
 */
function scrubSecrets<E>(error: E, secrets: string[]): E {
  const seen = new Set<unknown>();
  const scrub = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 4) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of [...Object.getOwnPropertyNames(value), "cause"]) {
      const field = record[key];
      if (typeof field === "string") {
        const text = redactSecrets(field, secrets);
        if (text !== field)
          try {
            record[key] = text;
          } catch {
            // A read-only field: nothing to write, and nothing the logger adds beyond message and stack.
          }
      } else scrub(field, depth + 1);
    }
  };
  scrub(error, 0);
  return error;
}

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown } };
  return e?.code === "P2002" || e?.cause?.originalCode === "23505" || e?.cause?.code === "23505";
};

export async function createChannel(prisma: PrismaClient, params: ChannelCreateParams): Promise<ChannelRow> {
  const secrets = [params.url, params.token ?? ""];
  try {
    return await prisma.notificationChannel.create({
      data: {
        id: newChannelId(),
        name: params.name,
        type: params.type,
        url: params.url,
        token: params.token ?? null,
        pushKeys: params.push_keys ?? undefined,
        reasons: [...(params.reasons ?? DEFAULT_NOTIFY_REASONS)],
        projects: params.projects ?? [],
        agents: params.agents ?? [],
        settleSeconds: params.settle_seconds ?? null,
        notifyResolved: params.notify_resolved ?? false,
        idleMinutes: params.idle_minutes ?? null,
        enabled: params.enabled ?? true,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ChannelNameTakenError(params.name);
    throw scrubSecrets(error, secrets);
  }
}

/** Oldest first: the order they were added in, which the dashboard and the CLI keep. */
export function listChannels(prisma: PrismaClient): Promise<ChannelRow[]> {
  return prisma.notificationChannel.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** By id, else by name (the CLI's `--channel NAME`); null when neither matches. */
export async function findChannel(prisma: PrismaClient, idOrName: string): Promise<ChannelRow | null> {
  return (
    (await prisma.notificationChannel.findUnique({ where: { id: idOrName } })) ??
    (await prisma.notificationChannel.findUnique({ where: { name: idOrName } }))
  );
}

/**
 * Removes a channel and its deliveries; the removed channel, or null when there was none (already
 * gone). Its deliveries go first, then the channel: the delivery worker writes an outcome to the
 * delivery row, then to its channel (recordDelivered, recordFailure), and the cascade of a plain
 * channel delete took the two the other way round, so a delete during a delivery deadlocked and one
 * side was aborted (a 500 here). In the same order the two only wait for each other; the retry is
 * for the one race left (a delivery the sweep adds, sent and answered within this transaction).
 */
export async function deleteChannel(prisma: PrismaClient, id: string): Promise<ChannelRow | null> {
  return withDeadlockRetry(() =>
    prisma.$transaction(async (tx) => {
      const row = await tx.notificationChannel.findUnique({ where: { id } });
      if (!row) return null;
      await tx.notificationDelivery.deleteMany({ where: { channelId: id } });
      const { count } = await tx.notificationChannel.deleteMany({ where: { id } });
      return count === 1 ? row : null;
    }),
  );
}

const iso = (time: Date | null) => (time ? time.toISOString() : null);

/** The API's view of a channel: its URL masked, its token only as `has_token`, its push keys not at all. */
export function channelToJson(row: ChannelRow): ChannelJson {
  const lastOutcome = row.lastOutcome === "delivered" || row.lastOutcome === "failed" ? row.lastOutcome : null;
  return {
    id: row.id,
    name: row.name,
    type: row.type as ChannelJson["type"],
    url: maskSecretUrl(row.url),
    has_token: row.token !== null && row.token !== "",
    reasons: row.reasons,
    projects: row.projects,
    agents: row.agents,
    settle_seconds: row.settleSeconds,
    notify_resolved: row.notifyResolved,
    idle_minutes: row.idleMinutes,
    enabled: row.enabled,
    status: lastOutcome === null ? "untested" : lastOutcome === "failed" ? "failing" : "ok",
    last_outcome: lastOutcome,
    last_error: row.lastError,
    last_attempt_at: iso(row.lastAttemptAt),
    last_delivered_at: iso(row.lastDeliveredAt),
    failing_since: iso(row.failingSince),
    consecutive_failures: row.consecutiveFailures,
    created_at: row.createdAt.toISOString(),
  };
}

const SETTINGS_ID = 1;

/** The settings as the delivery worker reads them (defaults until the first PUT), in the API's words. */
export async function getNotificationSettings(prisma: PrismaClient): Promise<NotificationSettingsJson> {
  const { settleSeconds, quietHours } = await readNotifySettings(prisma);
  return {
    settle_seconds: settleSeconds,
    quiet_hours: quietHours && { start: quietHours.start, end: quietHours.end, time_zone: quietHours.timeZone },
  };
}

/**
 * Changes what the request names and keeps the rest: `quiet_hours: null` turns them off, leaving
 * it out keeps them. The time zone is stored by its canonical name (one Postgres knows too).
 * Throws InvalidTimeZoneError for a zone Node does not know. Idempotent: the same PUT twice is one change.
 */
export async function putNotificationSettings(
  prisma: PrismaClient,
  params: NotificationSettingsParams,
): Promise<NotificationSettingsJson> {
  const change: {
    settleSeconds?: number;
    quietStart?: string | null;
    quietEnd?: string | null;
    quietTimeZone?: string | null;
  } = {};
  if (params.settle_seconds !== undefined) change.settleSeconds = params.settle_seconds;
  if (params.quiet_hours === null) Object.assign(change, { quietStart: null, quietEnd: null, quietTimeZone: null });
  else if (params.quiet_hours !== undefined) {
    const zone = params.quiet_hours.time_zone ?? "UTC";
    const canonical = canonicalTimeZone(zone);
    if (canonical === null) throw new InvalidTimeZoneError(zone);
    Object.assign(change, {
      quietStart: params.quiet_hours.start,
      quietEnd: params.quiet_hours.end,
      quietTimeZone: canonical,
    });
  }
  await prisma.notificationSettings.upsert({
    where: { id: SETTINGS_ID },
    create: { id: SETTINGS_ID, ...change },
    update: { ...change, updatedAt: new Date() },
  });
  return getNotificationSettings(prisma);
}

/**
 * One test delivery row per channel, pending, for the delivery worker to send (`deliverNotificationJob`,
 * its job id the row's id). Ids `test:<channel id>:<random>`: every test is a new delivery, and the id
 * has the two colons a BullMQ job id may hold.
 */
export async function createTestDeliveries(prisma: PrismaClient, channels: ChannelRow[]): Promise<DeliveryRow[]> {
  const rows = channels.map((channel) => ({
    id: `test:${channel.id}:${randomBase32(12)}`,
    channelId: channel.id,
    sessionId: null,
    type: "test",
    waitStart: null,
    status: "pending",
  }));
  if (rows.length > 0) await prisma.notificationDelivery.createMany({ data: rows, skipDuplicates: true });
  return prisma.notificationDelivery.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
}

export function readDeliveries(prisma: PrismaClient, ids: string[]): Promise<DeliveryRow[]> {
  return prisma.notificationDelivery.findMany({ where: { id: { in: ids } } });
}
