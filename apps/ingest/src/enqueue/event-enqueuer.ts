import type { NormalizedEvent } from "@pulse/core";
import { applyEventsJob, MAX_EVENTS_PER_JOB } from "@pulse/queues";
import type { Queue } from "bullmq";

/** A write Redis has not confirmed by then fails the requests waiting on it (they get a 503 and retry). */
export const WRITE_TIMEOUT_MS = 5_000;

/** Keeps one job's JSON well under a megabyte even when events carry big payloads. */
const MAX_JOB_BYTES = 900 * 1024;

interface Waiting {
  events: NormalizedEvent[];
  bytes: number;
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

  enqueue(events: NormalizedEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("ingest is shutting down"));
    const bytes = events.reduce((sum, e) => sum + approximateBytes(e), 0);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events, bytes, resolve, reject });
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
        await withTimeout(
          this.queue.addBulk(toJobs(batch).map((events) => ({ name: applyEventsJob.name, data: { events }, opts: applyEventsJob.options }))),
          WRITE_TIMEOUT_MS,
        );
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.writing = null;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not confirm the write within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function approximateBytes(event: NormalizedEvent): number {
  // Payloads dominate; the rest of an event is a few hundred bytes.
  return 512 + (typeof event.payload === "string" ? event.payload.length : JSON.stringify(event.payload ?? null).length);
}

/** Cuts the waiting requests' events into jobs of at most MAX_EVENTS_PER_JOB events and ~MAX_JOB_BYTES. */
function toJobs(batch: Waiting[]): NormalizedEvent[][] {
  const jobs: NormalizedEvent[][] = [];
  let current: NormalizedEvent[] = [];
  let bytes = 0;
  for (const w of batch) {
    for (const event of w.events) {
      const size = approximateBytes(event);
      if (current.length > 0 && (current.length >= MAX_EVENTS_PER_JOB || bytes + size > MAX_JOB_BYTES)) {
        jobs.push(current);
        current = [];
        bytes = 0;
      }
      current.push(event);
      bytes += size;
    }
  }
  if (current.length > 0) jobs.push(current);
  return jobs;
}
