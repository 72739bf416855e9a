import type { ChildProcess } from "node:child_process";

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between checks (default 25 ms). */
  intervalMs?: number;
  /** Named in the error when it times out. */
  what?: string;
}

/**
 * Polls until `check` returns something other than undefined or false, and returns it; a check that
 * throws counts as "not yet" (its last error is named if it times out).
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 25, what = "condition" }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface WaitForHttpOptions extends WaitOptions {
  /** The process that should answer: waiting stops at once if it exits. */
  child?: ChildProcess;
  /** Added to the error, e.g. where the process's log is. */
  hint?: string;
}

/** Waits until GET `url` answers 2xx (e.g. a /readyz), failing at once if `child` exits first. */
export async function waitForHttp(
  url: string,
  { child, hint, what = url, timeoutMs = 30_000, intervalMs = 150 }: WaitForHttpOptions = {},
): Promise<void> {
  const suffix = hint ? `; ${hint}` : "";
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready${suffix}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready at ${url} after ${timeoutMs} ms (${last})${suffix}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
