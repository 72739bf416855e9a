import { acquireDrainLock, releaseDrainLock } from "./drain-lock";
import { closeBreaker } from "./ingest-breaker";
import { listSpool, moveToRejected, readSpoolRecord, removeSpoolFile, type SpoolRecord } from "./spool-files";

export type SendOutcome =
  | { kind: "sent" }
  /** The API refused the event as invalid: retrying cannot help. */
  | { kind: "rejected"; reason: string }
  /**
   * Not delivered (unreachable, 5xx, timeout, token refused): keep it and stop for now.
   * `unresponsive`: it took long to fail (no answer in time, a slow 503), so trying again soon costs
   * the next hook as much. `timedOut`: no answer within the request's time (maybe only slow).
   */
  | { kind: "failed"; reason: string; unresponsive?: boolean; timedOut?: boolean };

export type Sender = (record: SpoolRecord, deadline: number) => Promise<SendOutcome>;

export interface DrainResult {
  sent: number;
  rejected: string[];
  /** Why delivery stopped with events left, when it failed. */
  failure: string | null;
  /** Another process holds the drain lock and delivers the spool. */
  busy: boolean;
  remaining: number;
  /** The failure took long (ingest accepted and did not answer): callers trip the breaker. */
  unresponsive: boolean;
  /** Delivery stopped on a request that got no answer in its time (hung, or only slower than that). */
  timedOut: boolean;
  /** A delivery succeeded and closed an open "ingest unresponsive" breaker. */
  recovered: boolean;
}

/**
 * Delivers spooled events oldest first, one at a time, until the spool is empty, a delivery fails or
 * the deadline passes. Holding the lock keeps the order across concurrent hooks; after releasing it,
 * the spool is looked at once more, so an event spooled by a run that found the lock taken is not left
 * behind.
 */
export async function drainSpool(
  dir: string,
  rejectedDir: string,
  send: Sender,
  deadline: number,
): Promise<DrainResult> {
  const result: DrainResult = {
    sent: 0,
    rejected: [],
    failure: null,
    busy: false,
    remaining: 0,
    unresponsive: false,
    timedOut: false,
    recovered: false,
  };
  if (listSpool(dir).length === 0) return result;
  if (!acquireDrainLock(dir)) {
    result.busy = true;
    result.remaining = listSpool(dir).length;
    return result;
  }
  let held = true;
  try {
    outer: for (;;) {
      const names = listSpool(dir);
      if (names.length === 0) {
        releaseDrainLock(dir);
        held = false;
        if (listSpool(dir).length > 0 && Date.now() < deadline && acquireDrainLock(dir)) {
          held = true;
          continue;
        }
        break;
      }
      for (const name of names) {
        if (Date.now() >= deadline) break outer;
        const record = readSpoolRecord(dir, name);
        if (record === "missing") continue;
        if (record === "corrupt") {
          moveToRejected(dir, name, rejectedDir, "not a spool record");
          result.rejected.push(`${name}: not a spool record`);
          continue;
        }
        const outcome = await send(record, deadline);
        if (outcome.kind === "sent") {
          removeSpoolFile(dir, name);
          // Ingest answers again: hooks may use the network (a watcher delivering ends the wait too).
          if (result.sent === 0) result.recovered = closeBreaker(dir);
          result.sent += 1;
        } else if (outcome.kind === "rejected") {
          moveToRejected(dir, name, rejectedDir, outcome.reason);
          result.rejected.push(outcome.reason);
        } else {
          result.failure = outcome.reason;
          result.unresponsive = outcome.unresponsive === true;
          result.timedOut = outcome.timedOut === true;
          break outer;
        }
      }
    }
  } finally {
    if (held) releaseDrainLock(dir);
  }
  result.remaining = listSpool(dir).length;
  return result;
}
