import { readFileSync } from "node:fs";
import { configFile } from "./paths";

export const DEFAULT_URL = "http://127.0.0.1:6820";

/** Where ingest is and how to authenticate; read by every command, including the hook. */
export interface ClientConfig {
  url: string;
  token: string | null;
  /** PEM file of extra CAs for an https PULSE_URL (the hook runs with NODE_EXTRA_CA_CERTS cleared). */
  caFile: string | null;
  /** Where each value came from, for `pulse doctor`. */
  origin: { url: "env" | "config" | "default"; token: "env" | "config" | "none" };
}

interface StoredConfig {
  url?: unknown;
  token?: unknown;
  ca_file?: unknown;
}

function readStored(home: string): StoredConfig {
  try {
    const parsed = JSON.parse(readFileSync(configFile(home), "utf8"));
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);

/**
 * Environment first (PULSE_URL, PULSE_TOKEN, PULSE_CA_FILE), then $PULSE_HOME/config.json (written by
 * `pulse hooks install` so hooks work whatever environment the agent was started with), then defaults.
 */
export function loadClientConfig(home: string, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const stored = readStored(home);
  const envUrl = str(env.PULSE_URL);
  const storedUrl = str(stored.url);
  const envToken = str(env.PULSE_TOKEN);
  const storedToken = str(stored.token);
  return {
    url: (envUrl ?? storedUrl ?? DEFAULT_URL).replace(/\/+$/, ""),
    token: envToken ?? storedToken,
    caFile: str(env.PULSE_CA_FILE) ?? str(stored.ca_file),
    origin: {
      url: envUrl ? "env" : storedUrl ? "config" : "default",
      token: envToken ? "env" : storedToken ? "config" : "none",
    },
  };
}

/** A PULSE_URL that cannot work, described in one line; null when it is fine. */
export function describeBadUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `PULSE_URL "${url}" is not a URL (expected e.g. ${DEFAULT_URL})`;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return `PULSE_URL "${url}" must start with http:// or https://`;
  return null;
}
