import { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses an app's environment once at boot. Empty variables count as unset. On failure the error
 * names every bad variable (never its value: it may be a token or a URL with a password).
 */
export function parseEnv<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.infer<Schema> {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = schema.safeParse(set);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
}

/** SESSION_STALE_TIMEOUT_MINUTES: silence after which the reaper ends a session (fractions allowed). */
export const staleTimeoutMinutes = z.coerce
  .number({ error: "must be a number of minutes" })
  .positive({ error: "must be greater than 0" })
  .default(5);

/** A positive whole number from the environment, e.g. a port or a batch size. */
export const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .positive({ error: "must be greater than 0" })
    .default(fallback);

export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    error: "must be one of fatal, error, warn, info, debug, trace, silent",
  })
  .default("info");
