import { statSync } from "node:fs";
import { loadClientConfig } from "../env/client-config";
import { rejectedDir, spoolDir } from "../env/paths";
import { drainSpool, type DrainResult } from "../spool/drain";
import { tripIfUnresponsive } from "../spool/ingest-breaker";
import { sendRecord } from "../spool/send-record";
import { listSpool } from "../spool/spool-files";

/** First retry after a failed delivery; doubles up to the cap. */
const FIRST_RETRY_MS = 1_000;
/**
 * Longest pause between attempts while something waits: hooks only spool while ingest hangs (their
 * breaker), so this is how late an event may land once ingest answers again (target: ≤ 15 s).
 */
export const MAX_RETRY_MS = 5_000;
/** One drain's budget, and one request's: enough for a backlog, short enough to notice a hang. */
const DRAIN_BUDGET_MS = 5_000;
const REQUEST_TIMEOUT_MS = 3_000;
/** With nothing known to wait, look anyway this often (a spool written while the dir's mtime hid it). */
const IDLE_LOOK_MS = 10_000;

/**
 * Delivers what waits in the spool, beside the watch loop: events of any session that hooks could not
 * deliver (ingest down, or hanging), the watcher's own (process exit, interrupts). While something
 * waits it retries quickly, backing off to MAX_RETRY_MS; with nothing waiting it costs one stat of the
 * spool directory per tick.
 */
export class SpoolCourier {
  private readonly dir: string;
  private inFlight: Promise<void> | null = null;
  private nextAt = 0;
  private retryMs = FIRST_RETRY_MS;
  private dirStamp = "";
  private lastLook = 0;
  private waiting = true;
  delivered = 0;

  constructor(private readonly home: string) {
    this.dir = spoolDir(home);
  }

  /** Something was just spooled: try now. */
  kick(): void {
    this.waiting = true;
    this.nextAt = 0;
    this.retryMs = FIRST_RETRY_MS;
  }

  /** Starts a delivery when one is due; returns at once. */
  tick(now: number): void {
    if (this.inFlight || now < this.nextAt) return;
    if (!this.waiting && !this.spoolChanged(now)) return;
    if (listSpool(this.dir).length === 0) {
      this.waiting = false;
      return;
    }
    this.waiting = true;
    this.inFlight = this.deliver().then((result) => {
      this.inFlight = null;
      if (!result) return this.retryLater(Date.now());
      this.delivered += result.sent;
      if (result.remaining === 0) {
        this.retryMs = FIRST_RETRY_MS;
        this.waiting = false;
      } else if (result.busy) {
        // Another process (a hook, another watcher) is delivering: look again soon.
        this.nextAt = Date.now() + FIRST_RETRY_MS;
      } else if (result.failure) this.retryLater(Date.now());
      else this.nextAt = 0; // out of budget with more to send: go on at the next tick
    });
  }

  /** True when nothing is known to wait and no delivery runs. */
  get idle(): boolean {
    return !this.inFlight && !this.waiting;
  }

  /** Waits for the delivery in flight, if any. */
  async settle(): Promise<void> {
    await this.inFlight;
  }

  /** Nothing left in the spool (looked at now). */
  empty(): boolean {
    return listSpool(this.dir).length === 0;
  }

  private retryLater(now: number): void {
    this.nextAt = now + this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  /** The spool directory's mtime moves when an event is added or removed: one stat instead of a readdir. */
  private spoolChanged(now: number): boolean {
    let stamp = "";
    try {
      const stat = statSync(this.dir);
      stamp = `${stat.ino}:${stat.mtimeMs}`;
    } catch {
      // no spool yet
    }
    const changed = stamp !== this.dirStamp || now - this.lastLook >= IDLE_LOOK_MS;
    this.dirStamp = stamp;
    if (changed) this.lastLook = now;
    return changed;
  }

  private async deliver(): Promise<DrainResult | null> {
    try {
      const config = loadClientConfig(this.home);
      const result = await drainSpool(
        this.dir,
        rejectedDir(this.home),
        (record, deadline) => sendRecord(config, record, deadline, REQUEST_TIMEOUT_MS),
        Date.now() + DRAIN_BUDGET_MS,
      );
      // Ingest took seconds to fail us: the hooks stop waiting on it (they only spool) until a
      // delivery succeeds again; a hook gives up after tens of ms, too soon to tell a hang from slowness.
      tripIfUnresponsive(this.dir, config.url, result);
      return result;
    } catch {
      return null;
    }
  }
}
