import type { NormalizedEvent } from "@pulse/core";
import { MAX_EVENTS_PER_JOB } from "@pulse/queues";

/** Keeps one job's JSON well under a megabyte even when events carry big payloads. */
export const MAX_JOB_BYTES = 900 * 1024;

/** Everything in a queued event but its payload: a few hundred bytes. */
export const EVENT_OVERHEAD_BYTES = 512;

/** One request's events, with the approximate JSON size of each. */
export interface SizedEvents {
  events: NormalizedEvent[];
  eventBytes: number;
}

function payloadBytes(event: NormalizedEvent): number {
  return typeof event.payload === "string" ? event.payload.length : JSON.stringify(event.payload ?? null).length;
}

/**
 * The size each of a request's events counts for: its share of the request body when that is known
 * (saves serialising the events again), else the largest payload's. Throws what JSON.stringify
 * throws for a payload it cannot encode (too deep, a BigInt).
 */
export function eventSize(events: NormalizedEvent[], bodyBytes?: number): number {
  return (
    EVENT_OVERHEAD_BYTES +
    (bodyBytes !== undefined
      ? Math.ceil(bodyBytes / Math.max(1, events.length))
      : Math.max(...events.map(payloadBytes)))
  );
}

/**
 * Cuts the waiting requests' events into jobs of at most `maxEvents` events and about `maxBytes`,
 * in order. An event bigger than `maxBytes` gets a job of its own rather than being refused.
 */
export function splitIntoJobs(
  batch: readonly SizedEvents[],
  { maxEvents = MAX_EVENTS_PER_JOB, maxBytes = MAX_JOB_BYTES } = {},
): NormalizedEvent[][] {
  const jobs: NormalizedEvent[][] = [];
  let current: NormalizedEvent[] = [];
  let bytes = 0;
  for (const request of batch) {
    for (const event of request.events) {
      const size = request.eventBytes;
      if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes)) {
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
