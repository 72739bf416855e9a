import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fnv1a } from "../env/unique-id";

/**
 * `pulse run -- codex|gemini|claude` with that agent's hooks installed makes no session of its own:
 * the agent's hooks report the session, under the agent's own id. A hook that runs with
 * PULSE_SESSION_ID in its environment (set by `pulse run`) leaves a claim file here, so `pulse run`
 * knows at the end whether the hooks did report; when none did (hooks not trusted, an untrusted
 * folder), it records the run itself after all, so a run is never missing.
 */
export const runsDir = (home: string): string => join(home, "runs");

export function runClaimFile(home: string, runId: string): string {
  return join(runsDir(home), `${runId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80)}-${fnv1a(runId)}.json`);
}

export interface RunClaim {
  /** The first session the agent's hooks reported during this run. */
  session_id: string;
  source: string;
}

/** On the hook path: one exclusive create the first time, one failed create (EEXIST) after that. */
export function claimRun(home: string, runId: string, sessionId: string, source: string): void {
  const file = runClaimFile(home, runId);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify({ session_id: sessionId, source }));
      closeSync(fd);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && attempt === 0) mkdirSync(runsDir(home), { recursive: true, mode: 0o700 });
      else return; // EEXIST: claimed already; anything else: `pulse run` records the run itself
    }
  }
}

export function readRunClaim(home: string, runId: string): RunClaim | null {
  try {
    const claim = JSON.parse(readFileSync(runClaimFile(home, runId), "utf8"));
    return claim && typeof claim.session_id === "string" ? claim : null;
  } catch {
    return null;
  }
}

export function removeRunClaim(home: string, runId: string): void {
  try {
    unlinkSync(runClaimFile(home, runId));
  } catch {
    // never claimed
  }
}
