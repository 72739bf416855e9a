import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * "Ingest did not answer; hooks only spool until <t>": a breaker shared by every Pulse process of
 * this user, as a small file next to the spool it protects. A hung ingest (it accepts the connection
 * and never answers) costs each hook its whole network budget, ~0.9 s, and the agent waits for it; a
 * refused connection costs a millisecond and never trips it. While it is open hooks spool and leave
 * delivery to the watchers (which ignore it); when a cooldown is over, the next hook re-arms it and
 * starts one delivery in the background, so no hook waits on the network again until one succeeds.
 */
export interface BreakerState {
  /** The ingest that did not answer: another PULSE_URL is not affected. */
  url: string;
  /** When it first stopped answering (epoch ms). */
  since: number;
  /** Hooks only spool until then; the first hook after it tries again. */
  until: number;
  /** Failed tries in a row: the cooldown doubles with each. */
  failures: number;
  reason: string;
}

/** The first cooldown; then 20 s, 40 s, 60 s… (a watcher that delivers closes it sooner). */
const FIRST_COOLDOWN_MS = 10_000;
const MAX_COOLDOWN_MS = 60_000;

export const breakerFile = (spoolDir: string): string => join(spoolDir, ".ingest-unresponsive.json");

export function readBreaker(spoolDir: string): BreakerState | null {
  try {
    const state = JSON.parse(readFileSync(breakerFile(spoolDir), "utf8"));
    if (
      state &&
      typeof state.url === "string" &&
      typeof state.until === "number" &&
      typeof state.since === "number" &&
      typeof state.failures === "number"
    ) {
      return { ...state, reason: typeof state.reason === "string" ? state.reason : "" };
    }
  } catch {
    // none (the usual case), or unreadable: closed
  }
  return null;
}

/** The breaker for `url` (open, or with its cooldown over), or null: nothing known against it. */
export function breakerFor(spoolDir: string, url: string): BreakerState | null {
  const state = readBreaker(spoolDir);
  return state && state.url === url ? state : null;
}

/**
 * Is it still in its cooldown? An `until` further away than the longest cooldown means the clock was
 * set back: then it is not trusted.
 */
export function inCooldown(state: BreakerState, now = Date.now()): boolean {
  return now < state.until && state.until - now <= MAX_COOLDOWN_MS;
}

/** The breaker for `url` while in its cooldown, or null when hooks may use the network. */
export function openBreaker(spoolDir: string, url: string, now = Date.now()): BreakerState | null {
  const state = breakerFor(spoolDir, url);
  return state && inCooldown(state, now) ? state : null;
}

/** Opens (or re-opens, with a longer cooldown) the breaker after ingest at `url` did not answer. */
export function tripBreaker(spoolDir: string, url: string, reason: string, now = Date.now()): BreakerState {
  const previous = readBreaker(spoolDir);
  const again = previous && previous.url === url ? previous : null;
  const failures = (again?.failures ?? 0) + 1;
  const cooldown = Math.min(FIRST_COOLDOWN_MS * 2 ** (failures - 1), MAX_COOLDOWN_MS);
  const state: BreakerState = { url, since: again?.since ?? now, until: now + cooldown, failures, reason };
  try {
    const tmp = `${breakerFile(spoolDir)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, breakerFile(spoolDir));
  } catch {
    // cannot write next to the spool: every hook keeps trying, as before
  }
  return state;
}

/** Closes the breaker: some Pulse process just delivered an event. True when one was open. */
export function closeBreaker(spoolDir: string): boolean {
  try {
    unlinkSync(breakerFile(spoolDir));
    return true;
  } catch {
    return false;
  }
}

/**
 * After a delivery: trips the breaker when it stopped on an ingest that took long to fail us (see
 * DrainResult.unresponsive), and returns the new state; null when there is nothing to trip.
 */
export function tripIfUnresponsive(
  spoolDir: string,
  url: string,
  result: { unresponsive: boolean; failure: string | null },
): BreakerState | null {
  return result.unresponsive && result.failure ? tripBreaker(spoolDir, url, result.failure) : null;
}
