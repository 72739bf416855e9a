import type { NormalizedEvent } from "@pulse/core";
import { classifyFailure } from "./apply-failure";

/** Applies events in one transaction: null when they were applied, else the error. */
export type Attempt = (events: NormalizedEvent[]) => Promise<unknown>;

export interface FailingEvents {
  /** Each event that fails even when applied on its own (or with the rest of a batch that fails whole), with its error. */
  failing: Map<NormalizedEvent, unknown>;
  /** Set when an outage stopped the search: nothing is known then, everything is retried. */
  outage: unknown;
}

/**
 * After `events` failed together with `error` (not an outage), finds the ones at fault by halving:
 * each half is applied on its own, and a half that fails is halved again. Every other event ends up
 * applied (events are idempotent, so a half applied before an outage stops the search is harmless
 * to apply again). One bad event among n costs about 2·log2(n) transactions.
 *
 * When both halves fail for a reason that is not in the data (`unknown`: a missing migration, a bug),
 * the batch as a whole is at fault, not an event in it: the search stops there instead of trying
 * every event alone.
 */
export async function findFailingEvents(
  events: NormalizedEvent[],
  error: unknown,
  attempt: Attempt,
): Promise<FailingEvents> {
  const failing = new Map<NormalizedEvent, unknown>();
  const search = async (group: NormalizedEvent[], groupError: unknown): Promise<unknown> => {
    if (group.length === 1) {
      failing.set(group[0], groupError);
      return null;
    }
    const middle = Math.ceil(group.length / 2);
    const halves = [group.slice(0, middle), group.slice(middle)];
    const errors: unknown[] = [];
    for (const half of halves) {
      const halfError = await attempt(half);
      if (halfError !== null && classifyFailure(halfError) === "outage") return halfError;
      errors.push(halfError);
    }
    if (
      errors.every((e) => e !== null && classifyFailure(e) === "unknown") &&
      classifyFailure(groupError) === "unknown"
    ) {
      for (const event of group) failing.set(event, groupError);
      return null;
    }
    for (let i = 0; i < halves.length; i++) {
      if (errors[i] === null) continue;
      const outage = await search(halves[i], errors[i]);
      if (outage !== null) return outage;
    }
    return null;
  };
  const outage = await search(events, error);
  return { failing: outage === null ? failing : new Map(), outage };
}
