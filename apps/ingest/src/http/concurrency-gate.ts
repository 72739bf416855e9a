import { ApiError } from "./api-error";

/**
 * Lets a few costly pieces of work run at a time and queues a few more; past that, a request is
 * refused with 429 and `Retry-After` instead of piling up. For work whose cost is bounded per
 * request but not in sum: concurrency timelines (six callers asking for new windows took POST p50
 * from 3 ms to 1.9 s), inflating compressed bodies (50 zip bombs at once took ingest to 1.6 GB).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
    private readonly what: string,
  ) {}

  async run<T>(compute: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.queue.length >= this.maxQueued)
        throw new ApiError(429, "too_many_requests", `too many ${this.what} requests at once; retry in a few seconds`, {
          "retry-after": "2",
        });
      // The slot is handed over by the computation that finishes (running stays the same).
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await compute();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
