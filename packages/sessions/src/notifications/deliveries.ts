import type { SessionState } from "@pulse/core";
import { Prisma } from "@pulse/db";
import { type Db, selectSessions } from "../rows";
import { withDeadlockRetry } from "../retry";

/** What the delivery worker needs of a row it claimed: the delivery, its channel (secrets included) and the session. */
export interface ClaimedDelivery {
  id: string;
  type: "waiting" | "resolved" | "idle" | "test";
  sessionId: string | null;
  waitStartMs: number | null;
  /** Attempts so far, this one included. */
  attempts: number;
  channel: {
    id: string;
    name: string;
    type: string;
    url: string;
    token: string | null;
    /** A disabled channel is sent only tests. */
    enabled: boolean;
    pushKeys: { p256dh: string; auth: string } | null;
  };
  /** The session as it is now; null for a test, or when it was deleted since. */
  session: SessionState | null;
}

export type Claim =
  | { kind: "claimed"; delivery: ClaimedDelivery }
  /** Delivered or failed for good already: nothing to do. */
  | { kind: "finished"; status: string }
  /** Another worker holds it (it may be sending right now) for this many more ms. */
  | { kind: "held"; remainingMs: number }
  /** No such row (its channel was deleted). */
  | { kind: "missing" };

interface ClaimRow {
  id: string;
  session_id: string | null;
  type: ClaimedDelivery["type"];
  wait_start_ms: bigint | null;
  attempts: number;
  channel_id: string;
  name: string;
  channel_type: string;
  url: string;
  token: string | null;
  enabled: boolean;
  push_keys: { p256dh: string; auth: string } | null;
}

/**
 * Takes a pending row for `leaseMs` (Postgres' clock, the same for every worker) and counts the
 * attempt. Only one worker holds a row at a time: a second one, or a retry of a killed worker's job,
 * gets it only once the lease has run out, i.e. when the first cannot be sending any more.
 */
export async function claimDelivery(db: Db, id: string, leaseMs: number): Promise<Claim> {
  const [row] = await db.$queryRaw<ClaimRow[]>`
    WITH claimed AS (
      UPDATE notification_deliveries
      SET claimed_until = now() + make_interval(secs => ${leaseMs / 1000}::float8), attempts = attempts + 1, updated_at = now()
      WHERE id = ${id} AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
      RETURNING id, channel_id, session_id, type, wait_start, attempts)
    SELECT k.id, k.session_id, k.type, (EXTRACT(EPOCH FROM k.wait_start) * 1000)::bigint AS wait_start_ms, k.attempts,
      c.id AS channel_id, c.name, c.type AS channel_type, c.url, c.token, c.enabled, c.push_keys
    FROM claimed k JOIN notification_channels c ON c.id = k.channel_id`;
  if (!row) {
    const [state] = await db.$queryRaw<Array<{ status: string; remaining_ms: bigint | null }>>`
      SELECT status, (EXTRACT(EPOCH FROM claimed_until - now()) * 1000)::bigint AS remaining_ms
      FROM notification_deliveries WHERE id = ${id}`;
    if (!state) return { kind: "missing" };
    if (state.status !== "pending") return { kind: "finished", status: state.status };
    return { kind: "held", remainingMs: Math.max(0, Number(state.remaining_ms ?? 0)) };
  }
  const [session] = row.session_id
    ? await selectSessions(db, Prisma.sql`SELECT * FROM sessions WHERE id = ${row.session_id}`)
    : [];
  return {
    kind: "claimed",
    delivery: {
      id: row.id,
      type: row.type,
      sessionId: row.session_id,
      waitStartMs: row.wait_start_ms === null ? null : Number(row.wait_start_ms),
      attempts: row.attempts,
      channel: {
        id: row.channel_id,
        name: row.name,
        type: row.channel_type,
        url: row.url,
        token: row.token,
        enabled: row.enabled,
        pushKeys: row.push_keys,
      },
      session: session ?? null,
    },
  };
}

/**
 * The receiver answered 2xx: the row is delivered, the channel is well. The delivery row is written
 * before its channel, here and in recordFailure, and deleteChannel takes them in that order too.
 * Retried on a deadlock all the same: an outcome lost would fail the job and send the message again.
 */
export async function recordDelivered(db: Db, id: string): Promise<void> {
  await withDeadlockRetry(
    () => db.$executeRaw`
    WITH d AS (
      UPDATE notification_deliveries
      SET status = 'delivered', delivered_at = now(), claimed_until = NULL, updated_at = now()
      WHERE id = ${id}
      RETURNING channel_id)
    UPDATE notification_channels c
    SET last_outcome = 'delivered', last_attempt_at = now(), last_delivered_at = now(), failing_since = NULL,
      consecutive_failures = 0
    FROM d WHERE c.id = d.channel_id`,
  );
}

/**
 * An attempt failed: the row keeps why (and fails for good on its last attempt), the lease is given
 * back so the retry can claim it at once, and the channel shows failing since its first failure.
 * `error` must hold neither the channel's URL nor its token (core redactSecrets).
 */
export async function recordFailure(db: Db, id: string, error: string, final: boolean): Promise<void> {
  await withDeadlockRetry(
    () => db.$executeRaw`
    WITH d AS (
      UPDATE notification_deliveries
      SET last_error = ${error}, claimed_until = NULL, updated_at = now(),
        status = CASE WHEN ${final} THEN 'failed' ELSE status END
      WHERE id = ${id} AND status = 'pending'
      RETURNING channel_id)
    UPDATE notification_channels c
    SET last_outcome = 'failed', last_error = ${error}, last_attempt_at = now(),
      failing_since = COALESCE(c.failing_since, now()), consecutive_failures = c.consecutive_failures + 1
    FROM d WHERE c.id = d.channel_id`,
  );
}

/** A row that cannot be sent (its session was deleted, its type is not sent here): failed, the channel untouched. */
export async function recordUnsendable(db: Db, id: string, why: string): Promise<void> {
  await db.$executeRaw`
    UPDATE notification_deliveries
    SET status = 'failed', last_error = ${why}, claimed_until = NULL, updated_at = now()
    WHERE id = ${id} AND status = 'pending'`;
}
