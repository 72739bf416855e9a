/**
 * Remembers a computed result for a short while, and shares one computation between requests that
 * arrive while it runs. For expensive reads that several dashboards poll (the concurrency timeline):
 * a few seconds of staleness costs nothing on a 24-hour chart, recomputing it per tab costs ingest.
 */
export class RecentResults<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.value;
    const value = compute();
    this.entries.set(key, { at: this.now(), value });
    // A failure is not remembered: the next request tries again.
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > 50) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
