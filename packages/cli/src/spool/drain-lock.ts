import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** A lock older than this belongs to a run that died holding it (hooks live at most a second). */
const STALE_LOCK_MS = 30_000;

const lockPath = (dir: string): string => join(dir, ".drain.lock");

function holderIsGone(path: string): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs > STALE_LOCK_MS) return true;
    const pid = Number(readFileSync(path, "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return true;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the holder died; ENOENT: released meanwhile. EPERM: alive under another user.
    return (error as NodeJS.ErrnoException).code !== "EPERM";
  }
}

/**
 * Takes the spool's drain lock, so one process at a time delivers and events go out oldest first.
 * Returns false when a live process holds it (it will deliver what is spooled).
 */
export function acquireDrainLock(dir: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath(dir), "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return false;
      if (!holderIsGone(lockPath(dir))) return false;
      try {
        unlinkSync(lockPath(dir));
      } catch {
        // another process took it over first
      }
    }
  }
  return false;
}

export function releaseDrainLock(dir: string): void {
  try {
    if (readFileSync(lockPath(dir), "utf8") === String(process.pid)) unlinkSync(lockPath(dir));
  } catch {
    // not ours or already gone
  }
}
