import { END_REASONS, NEEDS_YOU_REASONS } from "@pulse/core";
import { AGENT_IDS } from "@pulse/core/agents";
import { CHANNEL_TYPES, NOTIFY_REASONS } from "@pulse/core/api";
import { Counter, Gauge, type Registry } from "prom-client";
import type { ReaperCounts } from "./counters-reader";
import { agentLabel, boundedLabel, channelTypeLabel, OTHER, reasonLabel } from "./labels";
import type { NotificationCounts } from "./notifications-reader";
import { JOB_STATES, type QueueReading } from "./queues-reader";
import type { EndedGroup, OpenSessionGroup } from "./sessions-reader";

const OPEN_STATUSES = ["active", "waiting"];
const DELIVERY_STATUSES = ["pending", "delivered", "failed"];

/** What one scrape read from Postgres and Redis; null where that read failed. */
export interface BackendReadings {
  open: OpenSessionGroup[] | null;
  ended: EndedGroup[] | null;
  notifications: NotificationCounts | null;
  queues: QueueReading[] | null;
  reaper: ReaperCounts | null;
}

/**
 * The metrics read from Postgres and Redis at scrape time. Each scrape replaces them whole: a read
 * that failed leaves its metrics absent (never a stale value), and `pulse_scrape_up` says which.
 * Known label values are written as 0 when nothing has them, so a panel shows 0, not "no data".
 */
export function backendMetrics(registry: Registry) {
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  const sessions = gauge("pulse_sessions", "Open sessions by status (active = working, waiting) and agent", [
    "status",
    "agent",
  ]);
  const waiting = gauge("pulse_waiting_sessions", "Waiting sessions by waiting reason", ["reason"]);
  const oldestWait = gauge(
    "pulse_waiting_oldest_seconds",
    "Age of the oldest current wait by waiting reason (0 when none waits)",
    ["reason"],
  );
  const needsYou = gauge(
    "pulse_needs_you_sessions",
    `Sessions waiting on the user (reasons ${NEEDS_YOU_REASONS.join(", ")}), settle time not applied`,
  );
  const ended = gauge("pulse_sessions_ended_24h", "Sessions ended in the last 24 hours by agent and end reason", [
    "agent",
    "end_reason",
  ]);
  const deliveries = gauge(
    "pulse_notification_deliveries",
    "Notification deliveries stored, by status (pending, delivered, failed) and channel type",
    ["status", "channel_type"],
  );
  const channels = gauge("pulse_notification_channels", "Enabled notification channels by type", ["channel_type"]);
  const failing = gauge(
    "pulse_notification_channels_failing",
    "Enabled notification channels whose newest deliveries failed, by type",
    ["channel_type"],
  );
  const queueJobs = gauge("pulse_queue_jobs", "Jobs per queue by state (waiting, active, delayed, failed)", [
    "queue",
    "state",
  ]);
  const queueOldest = gauge(
    "pulse_queue_oldest_waiting_seconds",
    "Age of the oldest job waiting for a worker per queue (0 when none waits)",
    ["queue"],
  );
  // Counted in Redis by every reaper process (HINCRBY): one value for the whole deployment.
  const sweeps = new Counter({
    name: "pulse_reaper_sweeps_total",
    help: "Stale sweeps run by all reapers, by result: swept, or why the sweep judged nothing (backlog, ingest_down, ingest_just_up)",
    labelNames: ["result"],
    registers,
  });
  const endedStale = new Counter({
    name: "pulse_reaper_ended_stale_total",
    help: "Sessions the reapers ended stale (silent past SESSION_STALE_TIMEOUT_MINUTES)",
    registers,
  });

  function fillOpen(groups: OpenSessionGroup[], nowMs: number) {
    const agent = agentLabel(groups.map((g) => [g.agent, g.count] as const));
    for (const status of OPEN_STATUSES) for (const id of AGENT_IDS) sessions.set({ status, agent: id }, 0);
    for (const reason of NOTIFY_REASONS) {
      waiting.set({ reason }, 0);
      oldestWait.set({ reason }, 0);
    }
    needsYou.set(0);
    // Several groups share a label (agents folded into "other", reasons too): the oldest of them.
    const oldest = new Map<string, number>();
    for (const g of groups) {
      sessions.inc({ status: g.status, agent: agent(g.agent) }, g.count);
      if (g.status !== "waiting") continue;
      const reason = reasonLabel(g.reason);
      waiting.inc({ reason }, g.count);
      if (g.reason !== null && NEEDS_YOU_REASONS.includes(g.reason)) needsYou.inc(g.count);
      if (g.oldestWaitMs !== null) oldest.set(reason, Math.min(oldest.get(reason) ?? Infinity, g.oldestWaitMs));
    }
    for (const [reason, since] of oldest) oldestWait.set({ reason }, Math.max(0, (nowMs - since) / 1000));
  }

  function fillEnded(groups: EndedGroup[]) {
    const agent = agentLabel(groups.map((g) => [g.agent, g.count] as const));
    const endReason = boundedLabel([], END_REASONS, 0);
    for (const g of groups) ended.inc({ agent: agent(g.agent), end_reason: endReason(g.endReason) }, g.count);
  }

  function fillNotifications({ deliveries: rows, channels: channelRows }: NotificationCounts) {
    for (const type of CHANNEL_TYPES) {
      channels.set({ channel_type: type }, 0);
      failing.set({ channel_type: type }, 0);
    }
    for (const c of channelRows) {
      channels.inc({ channel_type: channelTypeLabel(c.channelType) }, c.enabled);
      failing.inc({ channel_type: channelTypeLabel(c.channelType) }, c.failing);
    }
    for (const d of rows) {
      const status = DELIVERY_STATUSES.includes(d.status) ? d.status : OTHER;
      deliveries.inc({ status, channel_type: channelTypeLabel(d.channelType) }, d.count);
    }
  }

  function fillQueues(readings: QueueReading[], nowMs: number) {
    for (const q of readings) {
      for (const state of JOB_STATES) queueJobs.set({ queue: q.queue, state }, q.counts[state]);
      queueOldest.set(
        { queue: q.queue },
        q.oldestWaitingAt === null ? 0 : Math.max(0, (nowMs - q.oldestWaitingAt) / 1000),
      );
    }
  }

  function fillReaper(counts: ReaperCounts) {
    for (const [result, n] of counts.sweeps) sweeps.inc({ result }, n);
    endedStale.inc(counts.endedStale);
  }

  return {
    /** Replaces every backend metric with what this scrape read. */
    fill(readings: BackendReadings, nowMs: number): void {
      for (const metric of [sessions, waiting, oldestWait, needsYou, ended, deliveries, channels, failing])
        metric.reset();
      for (const metric of [queueJobs, queueOldest, sweeps, endedStale]) metric.reset();
      if (readings.open) fillOpen(readings.open, nowMs);
      if (readings.ended) fillEnded(readings.ended);
      if (readings.notifications) fillNotifications(readings.notifications);
      if (readings.queues) fillQueues(readings.queues, nowMs);
      if (readings.reaper) fillReaper(readings.reaper);
    },
  };
}
