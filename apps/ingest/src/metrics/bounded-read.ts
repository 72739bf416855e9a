/** What one part of a scrape read, or why it could not. */
export type ReadResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * One backing read of the scrape (a Postgres query, Redis calls), bounded twice: each scrape waits
 * for it at most `timeoutMs`, and while one read is still running (Postgres hangs, a scrape timed
 * out) the next scrape waits on that same read instead of starting another, so a stuck backend
 * holds one query, not one per scrape.
 */
export class BoundedRead<T> {
  private running: Promise<T> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly timeoutMs: number,
  ) {}

  async run(): Promise<ReadResult<T>> {
    if (!this.running) {
      const started = Promise.resolve().then(this.read);
      this.running = started;
      const clear = () => {
        if (this.running === started) this.running = null;
      };
      started.then(clear, clear);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return { ok: true, value: await Promise.race([this.running, timeout]) };
    } catch (error) {
      return { ok: false, error: String((error as Error)?.message ?? error).split("\n")[0] };
    } finally {
      clearTimeout(timer);
    }
  }
}
