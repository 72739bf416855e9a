import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { Redis } from "ioredis";
import { databaseUrl, POSTGRES_ADMIN_URL, REDIS_URL, TEMPLATE_DB_ENV } from "./services";

export interface TestEnv {
  /** A database of this test file's own, migrated. */
  databaseUrl: string;
  redisUrl: string;
  /** A Redis key prefix of this test file's own (queues and the sessions channel live under it). */
  redisPrefix: string;
  /** Drops the database and deletes the prefix's keys: only what this env created. */
  cleanup(): Promise<void>;
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createTestEnv(label = "t"): Promise<TestEnv> {
  const template = process.env[TEMPLATE_DB_ENV];
  if (!template) throw new Error("no template database: run integration tests through jest's integration project");
  const id = `${label.replace(/[^a-z0-9]/gi, "").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const name = `pulse_test_${id}`;
  // Cloning needs the template to have no other connections; retry briefly if another file is cloning it.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      if (attempt > 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const redisPrefix = `pulse-test-${id}`;
  return {
    databaseUrl: databaseUrl(name),
    redisUrl: REDIS_URL,
    redisPrefix,
    async cleanup() {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      const redis = new Redis(REDIS_URL);
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, { timeoutMs = 10_000, intervalMs = 25, what = "condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
