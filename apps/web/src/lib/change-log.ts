/**
 * The changes that arrived while fetches were in flight. A fetch may have read the database before a
 * change that reached the browser during it, so its answer must not be the last word: when it lands,
 * the changes since it started are applied to it again (in arrival order, so the newest copy wins).
 * Nothing is kept while no fetch is open.
 */
export class ChangeLog<T> {
  private seq = 0;
  private entries: { seq: number; value: T }[] = [];
  /** Fetch key → the sequence number when it started. */
  private readonly open = new Map<string, number>();

  record(value: T): void {
    this.seq += 1;
    if (this.open.size > 0) this.entries.push({ seq: this.seq, value });
  }

  /** A fetch started; a restart of one still open keeps its first start (replaying more is harmless). */
  begin(key: string): void {
    if (!this.open.has(key)) this.open.set(key, this.seq);
  }

  /** The fetch ended: the changes that arrived since it began (none when it was not open). */
  end(key: string): T[] {
    const from = this.open.get(key);
    if (from === undefined) return [];
    this.open.delete(key);
    const since = this.entries.filter((e) => e.seq > from).map((e) => e.value);
    const oldest = Math.min(...this.open.values());
    this.entries = this.open.size > 0 ? this.entries.filter((e) => e.seq > oldest) : [];
    return since;
  }

  /** How many changes are held (for tests: none once no fetch is open). */
  get size(): number {
    return this.entries.length;
  }
}
