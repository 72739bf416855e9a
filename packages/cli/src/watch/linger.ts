import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { watchersDir } from "../env/paths";
import { isWatcherAlive } from "./registry";
import type { SpoolCourier } from "./spool-courier";

/**
 * How long a watcher stays after its session ended (or its agent died) to deliver what waits in the
 * spool, e.g. a SessionEnd spooled while ingest was down. A day covers a self-hosted server that is
 * down overnight; it costs one idle watcher (~40 MiB, ~2 ms CPU/s) per machine, because only one stays
 * (the courier lock below). After that the spool is still delivered by the next hook or
 * `pulse spool flush`, and every event keeps its true time.
 */
export const LINGER_MAX_MS = 24 * 60 * 60_000;

/** The bound; PULSE_WATCH_LINGER_MS shortens it (tests), never lengthens it. */
export function lingerBoundMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.PULSE_WATCH_LINGER_MS);
  return env.PULSE_WATCH_LINGER_MS && Number.isInteger(ms) && ms >= 0 ? Math.min(ms, LINGER_MAX_MS) : LINGER_MAX_MS;
}
const TICK_MS = 500;

const courierLock = (home: string): string => join(watchersDir(home), ".courier.lock");

/** Becomes the one watcher that stays for the spool; false when a live one already does. */
function takeCourierLock(home: string): boolean {
  const path = courierLock(home);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(watchersDir(home), { recursive: true, mode: 0o700 });
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return false;
      let holder = NaN;
      try {
        holder = Number(readFileSync(path, "utf8"));
      } catch {
        // released meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isWatcherAlive(holder)) return false;
      try {
        unlinkSync(path);
      } catch {
        // another watcher took it over first
      }
    }
  }
  return false;
}

function releaseCourierLock(home: string): void {
  try {
    if (readFileSync(courierLock(home), "utf8") === String(process.pid)) unlinkSync(courierLock(home));
  } catch {
    // not ours, or gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * After the session is over: returns at once when the spool is empty; else stays, delivering, until it
 * is (or LINGER_MAX_MS passed), unless another lingering watcher already does that job.
 */
export async function lingerForSpool(home: string, courier: SpoolCourier, maxMs = lingerBoundMs()): Promise<void> {
  await courier.settle();
  if (courier.empty()) return;
  courier.kick();
  // Deliver once even without the lock: our own end was just spooled and a hook may be waiting on it.
  courier.tick(Date.now());
  await courier.settle();
  if (courier.empty()) return;
  if (!takeCourierLock(home)) return;
  try {
    const giveUpAt = Date.now() + maxMs;
    while (Date.now() < giveUpAt) {
      courier.tick(Date.now());
      if (courier.idle && courier.empty()) return;
      await sleep(TICK_MS);
    }
  } finally {
    await courier.settle();
    releaseCourierLock(home);
  }
}
