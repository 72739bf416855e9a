import type { Redis } from "ioredis";

/** The part of a pino logger an outage log writes to. */
export interface OutageLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface OutageMessages {
  /** Said when the outage starts, e.g. "events cannot be applied: Postgres is unavailable". */
  down: string;
  /** Said when it ends, e.g. "events are applied again". */
  up: string;
}

/**
 * Says when something goes down and when it is back: once each, with the first failure's reason and,
 * at the end, how long it lasted and how many failures there were. A 20 s Postgres outage at hundreds
 * of jobs a second is two lines, not one per job (or per reconnect attempt) with a stack each.
 */
export class OutageLog {
  private downSince: number | null = null;
  private failures = 0;

  constructor(
    private readonly logger: OutageLogger,
    private readonly messages: OutageMessages,
    private readonly now: () => number = Date.now,
  ) {}

  get isDown(): boolean {
    return this.downSince !== null;
  }

  /** A failure because of the outage; only the first of an outage is logged. */
  down(reason: string, fields: object = {}): void {
    this.failures += 1;
    if (this.downSince !== null) return;
    this.downSince = this.now();
    this.logger.warn({ ...fields, reason }, this.messages.down);
  }

  /** A success: ends the outage, if there was one. */
  up(fields: object = {}): void {
    if (this.downSince === null) return;
    this.logger.info({ ...fields, downForMs: this.now() - this.downSince, failures: this.failures }, this.messages.up);
    this.downSince = null;
    this.failures = 0;
  }
}

/**
 * Logs a Redis connection's outages once per state change: ioredis raises an error on every
 * reconnection attempt, many a second at first, for as long as Redis is down.
 */
export function logConnectionOutages(redis: Redis, logger: OutageLogger, fields: object = {}): OutageLog {
  const log = new OutageLog(logger, {
    down: "redis connection lost: retrying until it is back (logged once)",
    up: "redis connection back",
  });
  redis.on("error", (err: Error) => log.down(err.message, fields));
  redis.on("ready", () => log.up(fields));
  return log;
}

/** An error that is a Redis connection going away or refusing (what every client on it then repeats). */
export function isConnectionError(error: unknown): boolean {
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|Connection is closed|Stream isn't writeable|max retries per request/i.test(
    String((error as Error)?.message ?? error),
  );
}
