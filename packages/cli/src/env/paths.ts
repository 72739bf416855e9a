import { homedir } from "node:os";
import { join } from "node:path";

/** Pulse's own directory on this machine: spool, watchers, config. PULSE_HOME overrides it (tests use temp dirs). */
export function pulseHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULSE_HOME || join(homedir(), ".pulse");
}

export const spoolDir = (home: string): string => join(home, "spool");
/** Events the API refused as invalid (4xx): kept for inspection, never retried. */
export const rejectedDir = (home: string): string => join(home, "rejected");
export const watchersDir = (home: string): string => join(home, "watchers");
export const configFile = (home: string): string => join(home, "config.json");
