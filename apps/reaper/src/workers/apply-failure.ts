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

/** SQLSTATE classes of a server or connection in trouble (08 connection, 53 resources, 57 operator, 58 system). */
const OUTAGE_CLASSES = new Set(["08", "53", "57", "58"]);
/** Conflicts that a retry resolves: serialization failure, deadlock, lock not available. */
const OUTAGE_STATES = new Set(["40001", "40P01", "55P03"]);
/** Data exceptions and integrity violations: the statement's input is at fault. */
const REFUSED_CLASSES = new Set(["22", "23"]);

/** Prisma's codes for an unreachable, timed-out or closed database, an exhausted pool, a lost transaction. */
const PRISMA_OUTAGE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034"]);
/** The pg driver adapter's kinds for the same. */
const ADAPTER_OUTAGE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionWriteConflict", "TlsConnectionError"]);

/** Messages of a connection that went away (the pg driver's and ioredis' own words). */
const CONNECTION_GONE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|Connection is closed|Stream isn't writeable|Can't reach database|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|terminating connection|server closed the connection|Transaction already closed|max retries per request/i;

interface ErrorShape {
  name?: string;
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: AdapterCause } };
  cause?: unknown;
}
interface AdapterCause {
  kind?: string;
  originalCode?: string;
  code?: string;
}

/** The SQLSTATE of a Postgres error, however Prisma and the driver adapter wrapped it. */
function sqlState(error: ErrorShape): string | undefined {
  const cause = error.meta?.driverAdapterError?.cause;
  const state = cause?.originalCode ?? cause?.code ?? error.code;
  return typeof state === "string" && /^[0-9A-Z]{5}$/.test(state) ? state : undefined;
}

export function classifyFailure(error: unknown, seen = new Set<unknown>()): FailureKind {
  if (error === null || typeof error !== "object" || seen.has(error)) return "unknown";
  seen.add(error);
  const e = error as ErrorShape;
  if (error instanceof UnrecoverableError || e.name === "UnrecoverableError" || e.name === "PrismaClientValidationError") return "refused";
  // Maximum call stack size exceeded: a payload nested too deep for some encoder on the way.
  if (error instanceof RangeError) return "refused";
  const state = sqlState(e);
  if (state) {
    if (OUTAGE_CLASSES.has(state.slice(0, 2)) || OUTAGE_STATES.has(state)) return "outage";
    if (REFUSED_CLASSES.has(state.slice(0, 2))) return "refused";
  }
  if (typeof e.code === "string" && PRISMA_OUTAGE.has(e.code)) return "outage";
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (kind && ADAPTER_OUTAGE.has(kind)) return "outage";
  if (CONNECTION_GONE.test(String(e.message ?? ""))) return "outage";
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
  return new Error(OUTAGE_REASON_PREFIX + describeFailure(error));
}

/**
 * One line saying why applying failed, for a job's failure reason and the logs: Postgres' own code
 * and words when it refused something (Prisma's message spans lines and repeats its own call).
 */
export function describeFailure(error: unknown): string {
  const e = (error ?? {}) as ErrorShape;
  const cause = e.meta?.driverAdapterError?.cause as (AdapterCause & { originalMessage?: string; message?: string; cause?: string }) | undefined;
  const state = sqlState(e);
  const words = cause?.originalMessage ?? cause?.message ?? cause?.cause;
  if (state && words) return `Postgres ${state}: ${words}`;
  if (cause?.kind && !words) return `Postgres: ${cause.kind}`;
  return String(e.message ?? error)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^Invalid `.*` invocation/.test(line))
    .join(" ");
}
