/**
 * Event times. An event's time is when it happened (stamped by the client) or, failing that, when
 * ingest received it; never when a worker processed it.
 */

/** Times before this are almost always epoch seconds sent as milliseconds. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
/**
 * A client clock may run a little ahead. Beyond this, a future time would keep a session "live"
 * until that moment, so it is replaced by the time of receipt.
 */
export const MAX_CLOCK_SKEW_MS = 60_000;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export type ParsedTime = { ok: true; ms: number } | { ok: false; message: string };

/** Parses an ISO-8601 time with a zone, or epoch milliseconds (number or digit string). */
export function parseEventTime(value: unknown): ParsedTime {
  let ms: number;
  if (typeof value === "number") {
    ms = value;
  } else if (typeof value === "string" && /^\d+$/.test(value.trim())) {
    ms = Number(value.trim());
  } else if (typeof value === "string" && ISO_8601.test(value.trim())) {
    ms = Date.parse(value.trim());
  } else {
    return {
      ok: false,
      message: "must be an ISO-8601 time with a zone (e.g. 2026-11-21T10:02:14.512Z) or epoch milliseconds",
    };
  }
  if (!Number.isFinite(ms)) return { ok: false, message: "is not a valid time" };
  if (ms < EARLIEST_MS) {
    return { ok: false, message: "is before 2000-01-01: epoch times must be in milliseconds, not seconds" };
  }
  if (ms > 8.64e15) return { ok: false, message: "is out of range" };
  return { ok: true, ms: Math.trunc(ms) };
}

/** The time an event is recorded at: its own time, unless that lies implausibly far in the future. */
export function effectiveEventTime(stampedMs: number | undefined, receivedMs: number): number {
  if (stampedMs === undefined) return receivedMs;
  return stampedMs > receivedMs + MAX_CLOCK_SKEW_MS ? receivedMs : stampedMs;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
