import { z } from "zod";
import { DEFAULT_REDIS_PREFIX } from "./names";

/** The Redis settings every app reads from its environment. */
export const redisEnv = {
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" })
    .default("redis://127.0.0.1:6379"),
  /** Prefix of Pulse's Redis keys and channel; tests use their own to stay isolated. */
  PULSE_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { error: "may contain only letters, digits, _ . -" })
    .default(DEFAULT_REDIS_PREFIX),
};
