import { describeZodError, type NormalizedEvent } from "@pulse/core";
import { applyEventsJob } from "@pulse/queues";
import { badRequest } from "./api-error";

/** The events worker's own schema for one event (it re-validates every job with parseJobData). */
const workerEventSchema = applyEventsJob.schema.shape.events.element;

/**
 * Refuses (400) a request whose built events the events worker would refuse: accepted and then
 * failing for good, the event would be lost after a 202 and would fail the job it shares with other
 * requests' events. What a request sends is checked field by field before; this catches what the
 * building adds (a delivery's key, host or time), so "accepted at the edge" means "applicable".
 */
export function refuseWhatTheWorkerWould(events: NormalizedEvent[]): void {
  for (const [i, event] of events.entries()) {
    const parsed = workerEventSchema.safeParse(event);
    if (!parsed.success)
      throw badRequest(
        `the event cannot be applied: ${describeZodError(parsed.error, events.length > 1 ? `[${i}]` : "")}`,
      );
  }
}
