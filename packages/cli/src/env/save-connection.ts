import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { configFile } from "./paths";

export interface SavedConnection {
  path: string;
  /** What this call changed in the file: "url", "token", "ca_file" (empty when it held them already). */
  changed: string[];
}

/**
 * Saves PULSE_URL / PULSE_TOKEN / PULSE_CA_FILE from the environment into $PULSE_HOME/config.json
 * (mode 600), so hooks started by an agent with another environment reach the same server. Returns
 * the file and what changed in it, or null when none of them is set. A file that already holds those
 * values is left as it is.
 */
export function saveConnection(home: string, env: NodeJS.ProcessEnv = process.env): SavedConnection | null {
  const updates: Record<string, string> = {};
  if (env.PULSE_URL?.trim()) updates.url = env.PULSE_URL.trim();
  if (env.PULSE_TOKEN?.trim()) updates.token = env.PULSE_TOKEN.trim();
  if (env.PULSE_CA_FILE?.trim()) updates.ca_file = env.PULSE_CA_FILE.trim();
  if (Object.keys(updates).length === 0) return null;
  const path = configFile(home);
  let current: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) current = parsed;
  } catch {
    // none yet, or unreadable: replaced
  }
  const changed = Object.keys(updates).filter((key) => current[key] !== updates[key]);
  if (changed.length === 0) return { path, changed };
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...current, ...updates }, null, 2) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return { path, changed };
}
