import { Redis, type RedisOptions } from "ioredis";

/**
 * Redis connections by role (BullMQ's guidance):
 * - workers block on Redis and must never give up a command: maxRetriesPerRequest null;
 * - producers (ingest) must fail fast when Redis is down so the client gets a 503 at once instead
 *   of a request hanging on an offline queue: enableOfflineQueue false. The session store's
 *   publisher is one too: a lost notification must not stall the write that made it.
 * The session-change stream's blocking reader makes its own (session-changes.ts).
 */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, ...options });
}

export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, ...options });
}
