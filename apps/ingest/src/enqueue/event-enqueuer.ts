import type { NormalizedEvent } from "@pulse/core";
import { applyEventsJob } from "@pulse/queues";
import type { Queue } from "bullmq";
import { eventSize, type SizedEvents, splitIntoJobs } from "./job-split";

/** A write Redis has not confirmed by then fails the requests waiting on it (they get a 503 and retry). */
export const WRITE_TIMEOUT_MS = 5_000;

interface Waiting extends SizedEvents {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Puts events on the events queue in batches: requests that arrive while a write is in flight share
 * the next one (group commit). Under light load each request is written at once; under heavy load
 * one Redis round trip carries hundreds of events. A request's promise settles only once its events
 * are in Redis, so a 202 always means "stored in the queue".
 */
export class EventEnqueuer {
  private waiting: Waiting[] = [];
  private writing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly queue: Queue) {}

  /** `bodyBytes`: the size of the request the events came in, if known (saves serialising them to size the jobs). */
  enqueue(events: NormalizedEvent[], bodyBytes?: number): Promise<void> {
    if (this.closed) return Promise.reject(new QueueClosedError("ingest is shutting down"));
    let eventBytes: number;
    try {
      eventBytes = eventSize(events, bodyBytes);
    } catch (error) {
      // A payload JSON cannot encode (too deep, a BigInt): this request fails, before it joins a write.
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events, eventBytes, resolve, reject });
      if (!this.writing) this.writing = this.drain();
    });
  }

  /** Resolves when everything accepted so far is in Redis; refuses new events. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
  }

  private async drain(): Promise<void> {
    // Let requests parsed in the same turn of the event loop join this write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.write(batch);
        for (const w of batch) w.resolve();
      } catch (error) {
        if (batch.length === 1 || isQueueOutage(error)) {
          for (const w of batch) w.reject(error);
          continue;
        }
        // Not Redis being down: something in one request's events (nothing the requests share) failed
        // the write. Each is written on its own, so only that one fails; the others are not touched.
        await Promise.all(batch.map((w) => this.write([w]).then(w.resolve, w.reject)));
      }
    }
    this.writing = null;
  }

  private async write(batch: Waiting[]): Promise<void> {
    await withTimeout(
      this.queue.addBulk(
        splitIntoJobs(batch).map((events) => ({
          name: applyEventsJob.name,
          data: { events },
          opts: applyEventsJob.options,
        })),
      ),
      WRITE_TIMEOUT_MS,
    );
  }
}

/** The enqueuer was closed (ingest is stopping): the client retries, on this ingest's successor. */
export class QueueClosedError extends Error {
  override name = "QueueClosedError";
}

/** Redis did not confirm a write in time. */
export class WriteTimeoutError extends Error {
  override name = "WriteTimeoutError";
}

/** Signs that Redis is unreachable, restarting, read-only or full: a retry later can succeed. */
const REDIS_DOWN =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|max retries per request|^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN)\b|OOM command not allowed/i;

/**
 * Whether a failed write is Redis being unavailable (the client should retry: 503) rather than
 * something about the events themselves (retrying the same request cannot help).
 */
export function isQueueOutage(error: unknown): boolean {
  if (error instanceof WriteTimeoutError || error instanceof QueueClosedError) return true;
  const e = error as { name?: string; message?: string } | null;
  return e?.name === "MaxRetriesPerRequestError" || REDIS_DOWN.test(String(e?.message ?? ""));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WriteTimeoutError(`Redis did not confirm the write within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
