/**
 * What a database error means for whoever hit it, read from the shapes Prisma 6, the pg driver
 * adapter and the pg driver raise (all seen on this machine):
 * - `unavailable`: Postgres is unreachable, restarting, overloaded or out of resources, or the
 *   connection went away: the same statement succeeds once it is back (retry later, answer 503).
 * - `conflict`: the transaction lost a race (deadlock, serialization failure, lock not available):
 *   running it again at once is the fix.
 * - `refused`: the statement's input is at fault (a data exception, an integrity violation, a value
 *   Prisma cannot send): the same input fails every time.
 * - `unknown`: anything else (a missing column before a migration, a trigger raising, a bug).
 */
export type DatabaseErrorKind = "unavailable" | "conflict" | "refused" | "unknown";

/** SQLSTATE classes of a server or connection in trouble (08 connection, 53 resources, 57 operator, 58 system). */
const UNAVAILABLE_CLASSES = new Set(["08", "53", "57", "58"]);
/** Serialization failure, deadlock, lock not available. */
const CONFLICT_STATES = new Set(["40001", "40P01", "55P03"]);
/** Data exceptions and integrity violations. */
const REFUSED_CLASSES = new Set(["22", "23"]);

/** Prisma's codes for an unreachable, timed-out or closed database, an exhausted pool, a transaction closed under it. */
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
/** Prisma's code for a write conflict or deadlock. */
const PRISMA_CONFLICT = "P2034";
/** The pg driver adapter's kinds for an unreachable or overloaded database. */
const ADAPTER_UNAVAILABLE = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TlsConnectionError",
]);
const ADAPTER_CONFLICT = "TransactionWriteConflict";

/** Words of a connection that went away or a server that cannot serve (the pg driver's, Prisma's and Postgres' own). */
const UNAVAILABLE_WORDS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|Can't reach database|timeout exceeded when trying to connect|Client has encountered a connection error|too many clients|the database system is (starting up|shutting down|in recovery mode)|terminating connection|server closed the connection|Transaction already closed/i;
/** Words (and codes quoted in a message) of a lost race. */
const CONFLICT_WORDS = /40P01|40001|deadlock detected|could not serialize/i;

interface ErrorShape {
  name?: string;
  code?: unknown;
  message?: unknown;
  meta?: { code?: unknown; driverAdapterError?: { cause?: AdapterCause } };
  cause?: unknown;
}
interface AdapterCause {
  kind?: string;
  originalCode?: string;
  code?: string;
  originalMessage?: string;
  message?: string;
  cause?: string;
}

/** The SQLSTATE of a Postgres error, however Prisma and the driver adapter wrapped it. */
export function sqlState(error: unknown): string | undefined {
  const e = (error ?? {}) as ErrorShape;
  const cause = e.meta?.driverAdapterError?.cause;
  const state = cause?.originalCode ?? cause?.code ?? e.meta?.code ?? e.code;
  return typeof state === "string" && /^[0-9A-Z]{5}$/.test(state) ? state : undefined;
}

/** Classifies one error without looking at its `cause` (see classifyDatabaseError). */
function classifyOne(e: ErrorShape): DatabaseErrorKind {
  if (e.name === "PrismaClientValidationError") return "refused";
  const state = sqlState(e);
  if (state) {
    if (UNAVAILABLE_CLASSES.has(state.slice(0, 2))) return "unavailable";
    if (CONFLICT_STATES.has(state)) return "conflict";
    if (REFUSED_CLASSES.has(state.slice(0, 2))) return "refused";
  }
  if (e.code === PRISMA_CONFLICT) return "conflict";
  if (typeof e.code === "string" && PRISMA_UNAVAILABLE.has(e.code)) return "unavailable";
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (kind === ADAPTER_CONFLICT) return "conflict";
  if (kind && ADAPTER_UNAVAILABLE.has(kind)) return "unavailable";
  const message = String(e.message ?? "");
  if (UNAVAILABLE_WORDS.test(message)) return "unavailable";
  if (CONFLICT_WORDS.test(message)) return "conflict";
  return "unknown";
}

/**
 * What a database error means (DatabaseErrorKind). Follows `cause` when the error itself says
 * nothing (a wrapper's own message), unless `followCause` is false (a caller walking the chain itself).
 */
export function classifyDatabaseError(
  error: unknown,
  { followCause = true } = {},
  seen = new Set<unknown>(),
): DatabaseErrorKind {
  if (error === null || typeof error !== "object" || seen.has(error)) return "unknown";
  seen.add(error);
  const e = error as ErrorShape;
  const kind = classifyOne(e);
  if (kind !== "unknown" || !followCause || e.cause === undefined) return kind;
  return classifyDatabaseError(e.cause, { followCause }, seen);
}

/**
 * One line saying why a statement failed, for a job's failure reason and the logs: Postgres' own
 * code and words when it refused something (Prisma's message spans lines and repeats its own call).
 */
export function describeDatabaseError(error: unknown): string {
  const e = (error ?? {}) as ErrorShape;
  const cause = e.meta?.driverAdapterError?.cause;
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
