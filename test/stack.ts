import type { AddressInfo } from "node:net";
import { ingestUpSinceKey } from "@pulse/queues";
import { Redis } from "ioredis";
import pino from "pino";
import { createIngestApp, type IngestApp } from "../apps/ingest/src/app";
import { loadIngestConfig } from "../apps/ingest/src/config";
import { startReaper, type ReaperApp } from "../apps/reaper/src/app";
import { loadReaperConfig } from "../apps/reaper/src/config";
import { createTestEnv, type TestEnv } from "./env";

export interface TestStack {
  env: TestEnv;
  /** Base URL of the running ingest, e.g. http://127.0.0.1:41234 */
  url: string;
  ingest: IngestApp;
  /** The events worker and reaper; null when started with `workers: false`. */
  reaper: ReaperApp | null;
  /** Starts the workers (again), e.g. after stopping them to build a backlog. */
  startWorkers(): Promise<ReaperApp>;
  stop(): Promise<void>;
}

export interface StackOptions {
  label?: string;
  /** Extra environment for both apps (PULSE_TOKEN, SESSION_STALE_TIMEOUT_MINUTES, …). */
  env?: Record<string, string>;
  /** Start the events worker and reaper too (default true). */
  workers?: boolean;
  now?: () => number;
  /**
   * Pretend ingest has been up since this time (epoch ms): lifecycle rule 9 keeps the reaper from
   * judging silence until ingest has been up a full timeout, which tests of old events need past.
   */
  ingestUpSince?: number;
  /** Where both apps log (default: silent unless PULSE_TEST_LOG is set), e.g. a buffer a test reads. */
  logger?: pino.Logger;
}

/**
 * The real ingest (HTTP on a random port) and the real workers, in this process, on a database and a
 * Redis prefix of their own. Logs are silent unless PULSE_TEST_LOG is set.
 */
export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const env = await createTestEnv(options.label ?? "stack");
  const vars = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    PULSE_REDIS_PREFIX: env.redisPrefix,
    ...options.env,
  };
  const logger = options.logger ?? pino({ level: process.env.PULSE_TEST_LOG ?? "silent" });
  const ingest = await createIngestApp(loadIngestConfig(vars), { logger, now: options.now });
  await ingest.app.listen({ host: "127.0.0.1", port: 0 });
  const port = (ingest.app.getHttpServer().address() as AddressInfo).port;
  if (options.ingestUpSince !== undefined) {
    const redis = new Redis(env.redisUrl);
    // Ingest only extends a run that is going on (SET NX): this becomes the run's start.
    await redis.set(ingestUpSinceKey(env.redisPrefix), String(options.ingestUpSince), "PX", 24 * 3_600_000);
    redis.disconnect();
  }
  const stack: TestStack = {
    env,
    url: `http://127.0.0.1:${port}`,
    ingest,
    reaper: null,
    async startWorkers() {
      stack.reaper = await startReaper(loadReaperConfig(vars), { logger, now: options.now });
      return stack.reaper;
    },
    async stop() {
      // The ingest running now: a test may have replaced the one it started with.
      await stack.ingest.close();
      await stack.reaper?.stop();
      await env.cleanup();
    },
  };
  if (options.workers !== false) await stack.startWorkers();
  return stack;
}
