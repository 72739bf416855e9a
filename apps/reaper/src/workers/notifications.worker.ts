import { createHash } from "node:crypto";
import {
  type ChannelTarget,
  deliveryRequest,
  inQuietHours,
  type NotificationInput,
  notificationPayload,
  oneLine,
  redactSecrets,
  toSessionJson,
  webPushBody,
} from "@pulse/core";
import type { NotificationPayload } from "@pulse/core/api";
import type { PrismaClient } from "@pulse/db";
import { deliverNotificationJob, notifySweepJob, parseJobData } from "@pulse/queues";
import {
  claimDelivery,
  type ClaimedDelivery,
  ensureVapidKeys,
  readNotifySettings,
  recordDelivered,
  recordDueWaits,
  recordFailure,
  recordIdleWaits,
  recordResolvedWaits,
  recordUnsendable,
  touchLostDeliveries,
} from "@pulse/sessions";
import { DelayedError, type Job, type Queue } from "bullmq";
import type { Logger } from "pino";
import { generateRequestDetails, generateVAPIDKeys } from "web-push";
import { LOGGED, type WorkerDefinition } from "./register";

/**
 * The notifications queue's job lock (and stalled check): a worker killed while sending loses its
 * job to another within one to two of these, instead of JOB_LOCK_SECONDS' 30 to 60 s.
 */
export const NOTIFY_LOCK_MS = 10_000;
/** How long a claim on a delivery row lasts: longer than one send (SEND_TIMEOUT_MS) and its recording. */
export const DELIVERY_LEASE_MS = 15_000;
/** A receiver that has not answered in this long has failed this attempt. */
export const SEND_TIMEOUT_MS = 10_000;
/** Most rows each of the sweep's finds records per tick; a full find sweeps again at once. */
export const SWEEP_LIMIT = 200;
/** Deliveries sent at once by this process (each mostly waits on a receiver). */
const CONCURRENCY = 8;

export interface NotificationsWorkerDeps {
  prisma: PrismaClient;
  logger: Logger;
  notificationsQueue: Queue;
  /** PULSE_DASHBOARD_URL: notifications link to the session's page there. */
  dashboardUrl: string;
  /** PULSE_VAPID_SUBJECT: how a push service can reach whoever runs this Pulse (RFC 8292 `sub`). */
  vapidSubject: string;
  now: () => number;
}

const PAYLOAD_TYPE = {
  waiting: "session.waiting",
  resolved: "session.resolved",
  idle: "session.idle",
  test: "test",
} as const satisfies Record<ClaimedDelivery["type"], NotificationInput["type"]>;

/** One attempt. A failure throws why, in words: the receiver's status and the start of its answer, or the network's error. */
async function send(request: { url: string; headers: Record<string, string>; body: string | Buffer }): Promise<void> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    const error = err as Error & { cause?: { code?: string; message?: string } };
    // Only the message goes further (redacted): the cause stays here.
    if (error.name === "TimeoutError") throw new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`, { cause: err });
    const cause = error.cause?.code ?? error.cause?.message;
    throw new Error(cause ? `${error.message}: ${cause}` : error.message, { cause: err });
  }
  const text = await response.text().catch(() => "");
  if (!response.ok)
    throw new Error(
      `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${text ? `: ${oneLine(text, 200)}` : ""}`,
    );
}

/**
 * The notifications queue (docs/notifications.md): the sweep, every second, records the deliveries
 * due (waits past their settle time, follow-ups, reminders) and queues one job per row, its id the
 * row's; each delivery job claims its row, sends, and records the outcome on the row and its channel.
 */
export function notificationsWorker(deps: NotificationsWorkerDeps): WorkerDefinition {
  const { prisma, logger, notificationsQueue, dashboardUrl, vapidSubject, now } = deps;

  /**
   * A Web Push message (RFC 8030) for the channel's subscription: encrypted for it (RFC 8291) and
   * signed with Pulse's VAPID key (RFC 8292) by web-push, sent by `send` like every other delivery.
   * Its Topic is the delivery's: a retry replaces a copy the push service has not handed on yet.
   */
  async function webPushRequest(channel: ClaimedDelivery["channel"], payload: NotificationPayload) {
    if (!channel.pushKeys) throw new Error("the channel has no push subscription keys");
    // Read each time (one row): the pair browsers subscribed with is the one in the settings now.
    const vapidKeys = await ensureVapidKeys(prisma, generateVAPIDKeys);
    const details = generateRequestDetails({ endpoint: channel.url, keys: channel.pushKeys }, webPushBody(payload), {
      vapidDetails: { subject: vapidSubject, ...vapidKeys },
      TTL: 24 * 3600,
      urgency: payload.type === "session.waiting" ? "high" : "normal",
      topic: createHash("sha256").update(payload.delivery_id).digest("base64url").slice(0, 32),
    });
    const headers: Record<string, string> = { "user-agent": "pulse" };
    for (const [name, value] of Object.entries(details.headers))
      if (name.toLowerCase() !== "content-length") headers[name.toLowerCase()] = String(value);
    return { url: details.endpoint, headers, body: details.body };
  }

  const queueDeliveries = (ids: string[]) =>
    notificationsQueue.addBulk(
      ids.map((id) => ({
        name: deliverNotificationJob.name,
        data: { delivery_id: id },
        opts: { ...deliverNotificationJob.options, jobId: id },
      })),
    );

  async function sweep(job: Job) {
    parseJobData(notifySweepJob, job);
    const settings = await readNotifySettings(prisma);
    const nowMs = now();
    // During quiet hours nothing new is recorded; waits still open when they end are found then.
    const quiet = inQuietHours(nowMs, settings.quietHours);
    const options = { nowMs, settleSeconds: settings.settleSeconds, limit: SWEEP_LIMIT };
    const finds: Array<() => Promise<string[]>> = quiet
      ? []
      : [
          () => recordDueWaits(prisma, options),
          () => recordResolvedWaits(prisma, options),
          () => recordIdleWaits(prisma, options),
        ];
    let queued = 0;
    let full = false;
    // Each find's rows are queued before the next find runs, so the first waits go out at once.
    // Recorded before queued: a crash in between leaves a pending row, which the lost find hands back.
    for (const find of finds) {
      const ids = await find();
      if (ids.length > 0) await queueDeliveries(ids);
      queued += ids.length;
      full ||= ids.length === SWEEP_LIMIT;
    }
    const lost = await touchLostDeliveries(prisma, SWEEP_LIMIT);
    if (lost.length > 0) {
      await queueDeliveries(lost);
      logger.debug({ deliveries: lost.length }, "queued pending deliveries again (a no-op unless their job was lost)");
    }
    queued += lost.length;
    full ||= lost.length === SWEEP_LIMIT;
    if (full)
      await notificationsQueue.add(
        notifySweepJob.name,
        { reason: "continue" },
        { ...notifySweepJob.options, deduplication: { id: "notify-sweep-continue" } },
      );
    return { queued, quiet };
  }

  async function deliver(job: Job, token: string | undefined) {
    const { delivery_id: id } = parseJobData(deliverNotificationJob, job);
    const claim = await claimDelivery(prisma, id, DELIVERY_LEASE_MS);
    if (claim.kind === "missing" || claim.kind === "finished") return { skipped: claim.kind };
    if (claim.kind === "held") {
      // Another worker holds the row (it may be sending it now): come back when its claim runs out,
      // without spending an attempt. If it delivers, the row is delivered by then and this ends.
      await job.moveToDelayed(Date.now() + claim.remainingMs + 250, token);
      throw new DelayedError();
    }
    const delivery = claim.delivery;
    const { channel } = delivery;
    const log = logger.child({ delivery: delivery.id, channel: channel.id, channelName: channel.name });
    // Disabled after the row was recorded: sent nothing but tests (docs/notifications.md).
    if (delivery.type !== "test" && !channel.enabled) {
      await recordUnsendable(prisma, delivery.id, "the channel was disabled before it was sent");
      return { skipped: "channel disabled" };
    }
    if (delivery.type !== "test" && !delivery.session) {
      await recordUnsendable(prisma, delivery.id, "the session was deleted before it was notified");
      return { skipped: "session deleted" };
    }
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      const session = delivery.session;
      const inThatWait =
        session?.status === "waiting" && (session.waitingSince ?? session.statusAt) === delivery.waitStartMs;
      const payload = notificationPayload({
        type: PAYLOAD_TYPE[delivery.type],
        deliveryId: delivery.id,
        session: session ? toSessionJson(session) : null,
        reason: delivery.type !== "resolved" && inThatWait ? session.waitingReason : null,
        waitingSinceMs: delivery.waitStartMs,
        dashboardUrl,
        nowMs: now(),
      });
      await send(
        channel.type === "webpush"
          ? await webPushRequest(channel, payload)
          : deliveryRequest(channel as ChannelTarget, payload),
      );
    } catch (err) {
      // The channel's URL and token are secrets: never in the row, the channel or a log line.
      const message = redactSecrets((err as Error).message, [channel.url, channel.token]);
      await recordFailure(prisma, delivery.id, message, final);
      log.warn(
        { attempt: delivery.attempts, final, err: message },
        final ? "delivery failed for good" : "delivery failed: retried",
      );
      throw Object.assign(new Error(message), { [LOGGED]: true });
    }
    await recordDelivered(prisma, delivery.id);
    log.debug({ attempt: delivery.attempts, type: delivery.type }, "delivered");
    return { delivered: delivery.id };
  }

  return {
    queue: notifySweepJob.queue,
    jobNames: [notifySweepJob.name, deliverNotificationJob.name],
    concurrency: CONCURRENCY,
    lockMs: NOTIFY_LOCK_MS,
    process: (job, token) => (job.name === notifySweepJob.name ? sweep(job) : deliver(job, token)),
  };
}
