import { Prisma } from "@pulse/db";
import type { Db } from "../rows";

/**
 * The notification sweep's finds (docs/notifications.md), each one INSERT … SELECT that records a
 * pending delivery row per (channel, session, wait start, type) not recorded yet and returns the new
 * rows' ids for the worker to queue. The unique key makes two sweeps at once (two reapers) record a
 * row once; the id is a hash of that key, so the job queued with it is queued once too.
 */

/** Settle seconds when there is no settings row (the API's default too). */
export const NOTIFY_DEFAULT_SETTLE_SECONDS = 5;

/**
 * A follow-up or reminder is only looked for on waits that started this recently: the sweep runs
 * every second and must not read every delivery ever made (MAX_IDLE_MINUTES is a week too).
 */
export const FOLLOW_UP_WINDOW_DAYS = 7;

export interface DueOptions {
  /** The clock (epoch ms): settle and idle times are real time, measured against waits' event times. */
  nowMs: number;
  /** Global settle seconds, for channels without their own. */
  settleSeconds: number;
  /** Most rows one find records. */
  limit: number;
}

/** A wait's start: the session's waiting_since (sessions waiting from before it existed: status_at). */
const WAIT_START = Prisma.sql`COALESCE(s.waiting_since, s.status_at)`;

/** The row id: a hash of (channel, type, wait start, session); the session id last, as it may hold any text. */
const deliveryId = (type: string) =>
  Prisma.sql`'nd_' || left(encode(sha256(convert_to(due.channel_id || '|' || ${type} || '|' ||
    (EXTRACT(EPOCH FROM due.wait_start) * 1000)::bigint::text || '|' || due.session_id, 'UTF8')), 'hex'), 40)`;

const matchesScope = Prisma.sql`(cardinality(c.projects) = 0 OR s.project = ANY (c.projects))
  AND (cardinality(c.agents) = 0 OR s.source = ANY (c.agents))`;

const notRecorded = (type: string) => Prisma.sql`NOT EXISTS (
  SELECT 1 FROM notification_deliveries d
  WHERE d.channel_id = c.id AND d.session_id = s.id AND d.type = ${type} AND d.wait_start = ${WAIT_START})`;

async function insertDue(db: Db, type: string, due: Prisma.Sql): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH due AS (${due})
    INSERT INTO notification_deliveries (id, channel_id, session_id, type, wait_start)
    SELECT ${deliveryId(type)}, due.channel_id, due.session_id, ${type}, due.wait_start FROM due
    ON CONFLICT DO NOTHING
    RETURNING id`;
  return rows.map((r) => r.id);
}

/**
 * Waits to notify: waiting sessions whose reason is one of an enabled channel's, in its projects and
 * agents, waiting for at least its settle time, with no 'waiting' row yet for that wait.
 */
export function recordDueWaits(db: Db, { nowMs, settleSeconds, limit }: DueOptions): Promise<string[]> {
  const now = new Date(nowMs);
  return insertDue(
    db,
    "waiting",
    Prisma.sql`
      SELECT c.id AS channel_id, s.id AS session_id, ${WAIT_START} AS wait_start
      FROM notification_channels c
      JOIN sessions s ON s.status = 'waiting'
        AND s.waiting_reason = ANY (c.reasons)
        AND ${matchesScope}
        AND ${WAIT_START} <= ${now}::timestamptz - make_interval(secs => COALESCE(c.settle_seconds, ${settleSeconds}::int))
      WHERE c.enabled AND ${notRecorded("waiting")}
      ORDER BY wait_start, c.id, s.id
      LIMIT ${limit}`,
  );
}

/**
 * Follow-ups for channels with notify_resolved: a wait notified (delivered) that the session is no
 * longer in (it went on working, ended, or waits on something else now), with no 'resolved' row yet.
 */
export function recordResolvedWaits(db: Db, { nowMs, limit }: DueOptions): Promise<string[]> {
  const since = new Date(nowMs - FOLLOW_UP_WINDOW_DAYS * 86_400_000);
  return insertDue(
    db,
    "resolved",
    Prisma.sql`
      SELECT w.channel_id, w.session_id, w.wait_start
      FROM notification_deliveries w
      JOIN notification_channels c ON c.id = w.channel_id AND c.enabled AND c.notify_resolved
      JOIN sessions s ON s.id = w.session_id
      WHERE w.type = 'waiting' AND w.status = 'delivered' AND w.wait_start > ${since}::timestamptz
        AND NOT (s.status = 'waiting' AND ${WAIT_START} = w.wait_start)
        AND NOT EXISTS (
          SELECT 1 FROM notification_deliveries r
          WHERE r.channel_id = w.channel_id AND r.session_id = w.session_id AND r.type = 'resolved'
            AND r.wait_start = w.wait_start)
      ORDER BY w.wait_start, w.channel_id, w.session_id
      LIMIT ${limit}`,
  );
}

/**
 * Reminders for channels with idle_minutes: a session waiting (for any reason) that long in the
 * channel's projects and agents, with no 'idle' row yet for that wait.
 */
export function recordIdleWaits(db: Db, { nowMs, limit }: DueOptions): Promise<string[]> {
  const now = new Date(nowMs);
  return insertDue(
    db,
    "idle",
    Prisma.sql`
      SELECT c.id AS channel_id, s.id AS session_id, ${WAIT_START} AS wait_start
      FROM notification_channels c
      JOIN sessions s ON s.status = 'waiting'
        AND ${matchesScope}
        AND ${WAIT_START} <= ${now}::timestamptz - make_interval(mins => c.idle_minutes)
      WHERE c.enabled AND c.idle_minutes IS NOT NULL AND ${notRecorded("idle")}
      ORDER BY wait_start, c.id, s.id
      LIMIT ${limit}`,
  );
}

/** A pending row untouched for this long, and held by no worker, may have lost its job. */
export const LOST_AFTER_SECONDS = 30;

/**
 * Pending rows whose job may be lost (a crash between the row's insert and the job's add, or a job
 * removed by hand): touched, so each is handed back at most every LOST_AFTER_SECONDS, and returned
 * for the worker to add again with the same job id (a no-op when the job exists).
 */
export async function touchLostDeliveries(db: Db, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE notification_deliveries SET updated_at = now()
    WHERE id IN (
      SELECT id FROM notification_deliveries
      WHERE status = 'pending' AND updated_at < now() - make_interval(secs => ${LOST_AFTER_SECONDS}::int)
        AND (claimed_until IS NULL OR claimed_until < now())
      ORDER BY created_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** The settings the sweep reads each tick (one row, id 1; defaults when it is missing). */
export interface NotifySettings {
  settleSeconds: number;
  quietHours: { start: string; end: string; timeZone: string } | null;
}

export async function readNotifySettings(db: Db): Promise<NotifySettings> {
  const [row] = await db.$queryRaw<
    Array<{
      settle_seconds: number;
      quiet_start: string | null;
      quiet_end: string | null;
      quiet_time_zone: string | null;
    }>
  >`SELECT settle_seconds, quiet_start, quiet_end, quiet_time_zone FROM notification_settings WHERE id = 1`;
  if (!row) return { settleSeconds: NOTIFY_DEFAULT_SETTLE_SECONDS, quietHours: null };
  return {
    settleSeconds: row.settle_seconds,
    quietHours:
      row.quiet_start && row.quiet_end
        ? { start: row.quiet_start, end: row.quiet_end, timeZone: row.quiet_time_zone ?? "UTC" }
        : null,
  };
}
