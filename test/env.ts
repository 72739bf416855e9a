import { createDatabase, deleteKeysWithPrefix, dropDatabase, uniqueId } from "@pulse/test-kit";
import { POSTGRES_ADMIN_URL, REDIS_URL, TEMPLATE_DB_ENV } from "./services";

// The polling helper is the shared kit's (packages/test-kit): re-exported so tests keep one import.
export { freePort, waitFor } from "@pulse/test-kit";

export interface TestEnv {
  /** A database of this test file's own, migrated. */
  databaseUrl: string;
  redisUrl: string;
  /** A Redis key prefix of this test file's own (queues and the sessions channel live under it). */
  redisPrefix: string;
  /** Drops the database and deletes the prefix's keys: only what this env created. */
  cleanup(): Promise<void>;
}

export async function createTestEnv(label = "t"): Promise<TestEnv> {
  const template = process.env[TEMPLATE_DB_ENV];
  if (!template) throw new Error("no template database: run integration tests through jest's integration project");
  const id = uniqueId(label);
  const name = `pulse_test_${id}`;
  // A copy of the migrated template: milliseconds instead of a migration per file.
  const databaseUrl = await createDatabase(POSTGRES_ADMIN_URL, name, template);
  const redisPrefix = `pulse-test-${id}`;
  return {
    databaseUrl,
    redisUrl: REDIS_URL,
    redisPrefix,
    async cleanup() {
      await dropDatabase(POSTGRES_ADMIN_URL, name);
      await deleteKeysWithPrefix(REDIS_URL, redisPrefix);
    },
  };
}
