import { logLevel, parseEnv, positiveInt, staleTimeoutMinutes } from "@pulse/core";
import { databaseEnv } from "@pulse/db";
import { redisEnv } from "@pulse/queues";
import { z } from "zod";
import { parseHost } from "./http/host-header";
import { extraPatternsEnv } from "./redact/extra-patterns";

/** "ingest", "pulse.lan", "[fd00::1]": a name as the URL parser spells it, without a port. */
function isBareHostName(name: string): boolean {
  const parsed = parseHost(name);
  return parsed !== null && parsed.host === parsed.hostname && parsed.hostname === name.replace(/\.$/, "");
}

const schema = z.object({
  ...databaseEnv,
  ...redisEnv,
  HOST: z.string().min(1).default("127.0.0.1"),
  INGEST_PORT: positiveInt(6820).refine((p) => p < 65536, { error: "must be a port number (1–65535)" }),
  /** When set, every route but /healthz and /readyz needs `Authorization: Bearer <token>` (http/auth.ts). */
  PULSE_TOKEN: z.string().min(8, { error: "must be at least 8 characters" }).optional(),
  /**
   * Host names (comma-separated, no port) a token-less ingest answers besides loopback ones, e.g.
   * `ingest` inside Docker. Unset: the Host check is on only while HOST is a loopback address.
   */
  PULSE_ALLOWED_HOSTS: z
    .string()
    .transform((list) =>
      list
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((names) => names.length > 0 && names.every(isBareHostName), {
      error: "must be host names separated by commas, without ports (e.g. ingest,pulse.lan)",
    })
    .optional(),
  /** Read here only to draw the timeline as the reaper decides (a silent session counts as ended). */
  SESSION_STALE_TIMEOUT_MINUTES: staleTimeoutMinutes,
  LOG_LEVEL: logLevel,
  /** Secrets in events are replaced by `[REDACTED:<kind>]` before they are queued (redact/). */
  PULSE_REDACT: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  /** More patterns to redact: a JSON object of kind → regular expression (redact/extra-patterns.ts). */
  PULSE_REDACT_EXTRA_PATTERNS: extraPatternsEnv.optional(),
});

export type IngestConfig = z.infer<typeof schema>;

export function loadIngestConfig(env: Record<string, string | undefined> = process.env): IngestConfig {
  return parseEnv(schema, env);
}
