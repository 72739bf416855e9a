import { parseEnv, positiveInt } from "@pulse/core";
import { redisEnv } from "@pulse/queues/env";
import { z } from "zod";
import { parsePeerRange } from "./peer-address";

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .transform((u) => u.replace(/\/+$/, ""));

const schema = z.object({
  ...redisEnv,
  HOST: z.string().min(1).default("127.0.0.1"),
  WEB_PORT: positiveInt(6821).refine((p) => p < 65536, { error: "must be a port number (1–65535)" }),
  /** Where the web server reaches the ingest API (server side only). */
  INGEST_URL: httpUrl.default("http://127.0.0.1:6820"),
  /** Where agents reach ingest, shown in the setup snippet; differs from INGEST_URL inside Docker. */
  INGEST_PUBLIC_URL: httpUrl.optional(),
  /** When set, the dashboard asks for it (login form) and passes it to ingest as a bearer token. */
  PULSE_TOKEN: z.string().min(8, { error: "must be at least 8 characters" }).optional(),
  /**
   * Without PULSE_TOKEN the dashboard answers only connections from loopback; these addresses or
   * CIDR ranges (comma-separated) count as this machine too, e.g. Docker's bridge gateway.
   */
  PULSE_LOCAL_PEERS: z
    .string()
    .transform((list) =>
      list
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.length > 0 && entries.every((entry) => parsePeerRange(entry) !== null), {
      error: "must be IP addresses or CIDR ranges separated by commas (e.g. 172.16.0.0/12)",
    })
    .default([]),
});

export type WebEnv = z.infer<typeof schema> & { INGEST_PUBLIC_URL: string };

let parsed: WebEnv | undefined;

/** The web app's environment, parsed once (instrumentation.ts parses it at boot so a bad value stops the server). */
export function webEnv(): WebEnv {
  if (!parsed) {
    const env = parseEnv(schema, process.env);
    parsed = { ...env, INGEST_PUBLIC_URL: env.INGEST_PUBLIC_URL ?? env.INGEST_URL };
  }
  return parsed;
}
