import ipaddr from "ipaddr.js";
import { RateLimiterMemory } from "rate-limiter-flexible";

/** Wrong tokens one address may try at the login form in a window, and how long it waits after. */
export const LOGIN_FAILURES_ALLOWED = 10;
export const LOGIN_WINDOW_S = 10 * 60;
export const LOGIN_WINDOW_MINUTES = LOGIN_WINDOW_S / 60;

/**
 * Slows down guessing PULSE_TOKEN at the login form: after LOGIN_FAILURES_ALLOWED wrong tokens
 * from one address, that address's logins are refused unchecked (a right token too, or the
 * refusal would tell a right guess) until LOGIN_WINDOW_S after its first wrong one: at most 10
 * guesses per 10 minutes. In this process's memory: the dashboard is one `next start` process.
 */
export class LoginAttempts {
  private readonly failures = new RateLimiterMemory({
    points: LOGIN_FAILURES_ALLOWED,
    duration: LOGIN_WINDOW_S,
  });

  /** Milliseconds until `peer` may try again; 0 when it may now. */
  async waitFor(peer: string): Promise<number> {
    const state = await this.failures.get(keyOf(peer));
    return state !== null && state.consumedPoints >= LOGIN_FAILURES_ALLOWED ? Math.max(1, state.msBeforeNext) : 0;
  }

  async failed(peer: string): Promise<void> {
    // Rejects once past the limit (its way of saying "no more"): counted all the same.
    await this.failures.consume(keyOf(peer)).catch(() => undefined);
  }

  async succeeded(peer: string): Promise<void> {
    await this.failures.delete(keyOf(peer));
  }
}

/**
 * One key per IPv4 address and per IPv6 /64 (what one host is usually given: one attacker could
 * otherwise take a new address per guess). IPv4-mapped IPv6 is its IPv4 address.
 */
export function keyOf(peer: string): string {
  if (!ipaddr.isValid(peer)) return peer;
  const address = ipaddr.process(peer);
  if (address.kind() === "ipv4") return address.toString();
  return `${(address as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(":")}::/64`;
}

/** The dashboard's one set of attempts (route handlers are modules loaded once per process). */
export const loginAttempts = new LoginAttempts();
