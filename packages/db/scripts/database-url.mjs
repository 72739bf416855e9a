import { readFileSync } from "node:fs";

/** DATABASE_URL, or the default that src/defaults.ts declares (read from there so it lives in one place). */
export function databaseUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const source = readFileSync(new URL("../src/defaults.ts", import.meta.url), "utf8");
  const match = source.match(/DEFAULT_DATABASE_URL = "([^"]+)"/);
  if (!match) throw new Error("packages/db/src/defaults.ts no longer declares DEFAULT_DATABASE_URL");
  return match[1];
}
