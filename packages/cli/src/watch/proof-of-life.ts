import { loadClientConfig } from "../env/client-config";
import { spoolDir } from "../env/paths";
import { tripBreaker } from "../spool/ingest-breaker";
import { httpRequest, TransportError } from "../transport/http-request";

/** Until the server says otherwise (contract 1). */
export const DEFAULT_INTERVAL_MS = 15_000;
/** Bounds on the interval a server may ask for: a broken answer can neither flood it nor silence us. */
const MIN_INTERVAL_MS = 1_000;
const MAX_INTERVAL_MS = 10 * 60_000;
/** The first proof goes out shortly after the start, once the SessionStart event is likely applied. */
const FIRST_DELAY_MS = 2_000;
/** A proof is worth something only now: an answer slower than this is a failure, retried next time. */
const REQUEST_TIMEOUT_MS = 3_000;

export type ProofOutcome = { sent: true; intervalMs: number } | { sent: false; reason: string };

/**
 * `POST /v1/liveness` while the agent's process lives (contract 1): one small request every
 * `interval_ms` the server answers. Never spooled; at most one request in flight, sent beside the
 * watch loop (never awaited by it, so a hung ingest cannot delay noticing the agent's exit); a failed
 * one is simply the next interval's job, so an outage costs one refused connection per interval.
 */
export class ProofOfLife {
  private nextAt: number;
  private intervalMs = DEFAULT_INTERVAL_MS;
  private inFlight = false;
  sent = 0;
  failed = 0;

  constructor(
    private readonly home: string,
    private readonly sessionId: string,
    private readonly source: string,
    now: number,
  ) {
    this.nextAt = now + FIRST_DELAY_MS;
  }

  /** Sends a proof when one is due; returns at once. */
  tick(now: number): void {
    if (this.inFlight || now < this.nextAt) return;
    this.inFlight = true;
    // Scheduled from the send, not the answer: a slow answer does not stretch the interval.
    this.nextAt = now + this.intervalMs;
    void sendProof(this.home, this.sessionId, this.source, now).then((outcome) => {
      this.inFlight = false;
      if (outcome.sent) {
        this.sent += 1;
        if (outcome.intervalMs !== this.intervalMs) {
          this.nextAt += outcome.intervalMs - this.intervalMs;
          this.intervalMs = outcome.intervalMs;
        }
      } else this.failed += 1;
    });
  }
}

/** One proof of life; never throws. */
export async function sendProof(home: string, sessionId: string, source: string, time: number): Promise<ProofOutcome> {
  // Read each time: `pulse hooks install` may have saved a new URL or token since the watcher started.
  const config = loadClientConfig(home);
  try {
    const response = await httpRequest(config, {
      method: "POST",
      path: "/v1/liveness",
      body: JSON.stringify({ session_id: sessionId, source, time }),
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    if (response.status !== 202 && response.status !== 200)
      return { sent: false, reason: `ingest answered ${response.status}` };
    return { sent: true, intervalMs: intervalFrom(response.body) };
  } catch (error) {
    // A proof that got no answer in seconds: ingest hangs. The session's hooks stop waiting on it
    // (they only spool) until some delivery succeeds, instead of each finding out on the agent's time.
    if (error instanceof TransportError && error.code === "ETIMEDOUT")
      tripBreaker(spoolDir(home), config.url, `ingest did not answer at ${config.url} (ETIMEDOUT)`);
    return { sent: false, reason: (error as Error).message };
  }
}

/** The server's `interval_ms`, kept within bounds; the default when the answer has none. */
export function intervalFrom(body: string): number {
  let value: unknown;
  try {
    value = (JSON.parse(body) as { interval_ms?: unknown })?.interval_ms;
  } catch {
    return DEFAULT_INTERVAL_MS;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return DEFAULT_INTERVAL_MS;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.round(value)));
}
