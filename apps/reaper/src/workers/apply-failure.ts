import { classifyDatabaseError, describeDatabaseError } from "@pulse/db";
import { isConnectionError } from "@pulse/queues";
import { UnrecoverableError } from "bullmq";

/**
 * Why applying events failed:
 * - `outage`: Postgres (or Redis) is unreachable, restarting, overloaded or a transaction lost a race:
 *   the same events succeed later. Retried with backoff, never split into smaller batches.
 * - `refused`: the data itself is refused (a Postgres data exception or integrity violation, a value
 *   Prisma cannot send, a structure too deep to encode): the same events fail every time.
 * - `unknown`: anything else (a bug, a missing migration): may succeed after a fix or a deploy.
 */
export type FailureKind = "outage" | "refused" | "unknown";

/**
 * The worker's reading of a failure: the database's own classification (`@pulse/db`: unavailable
 * and conflict are both an outage here, retried with backoff), plus what only the worker meets: a
 * payload the queue's schema refused or too deep to encode (refused), Redis going away (outage).
 */
export function classifyFailure(error: unknown, seen = new Set<unknown>()): FailureKind {
  if (error === null || typeof error !== "object" || seen.has(error)) return "unknown";
  seen.add(error);
  const e = error as { name?: string; cause?: unknown };
  if (error instanceof UnrecoverableError || e.name === "UnrecoverableError") return "refused";
  // Maximum call stack size exceeded: a payload nested too deep for some encoder on the way.
  if (error instanceof RangeError) return "refused";
  const database = classifyDatabaseError(error, { followCause: false });
  if (database === "unavailable" || database === "conflict") return "outage";
  if (database === "refused") return "refused";
  if (isConnectionError(error)) return "outage";
  if (e.cause !== undefined) return classifyFailure(e.cause, seen);
  return "unknown";
}

/**
 * Starts the reason a job that failed for an outage keeps in Redis (`failedReason`): the reaper's
 * backlog rule counts such retries (their events will land once the outage ends) and ignores the
 * others (retrying cannot make them land soon).
 */
export const OUTAGE_REASON_PREFIX = "outage: ";

/** The error a job fails with for an outage: its reason says so (see OUTAGE_REASON_PREFIX). */
export function outageError(error: unknown): Error {
  return new Error(OUTAGE_REASON_PREFIX + describeDatabaseError(error));
}
