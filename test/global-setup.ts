import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { Client } from "pg";
import { Redis } from "ioredis";
import { databaseUrl, POSTGRES_ADMIN_URL, REDIS_URL, TEMPLATE_DB_ENV } from "./services";

/**
 * Once per test run: check that Postgres and Redis answer, then build a template database with the
 * real `prisma migrate deploy`. Each test file clones it (CREATE DATABASE … TEMPLATE), which takes
 * milliseconds instead of a CLI run per file.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`integration tests need PostgreSQL at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`integration tests need Redis at ${REDIS_URL}: ${(error as Error).message}`, { cause: error });
  } finally {
    redis.disconnect();
  }

  const name = `pulse_test_template_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  execFileSync(process.execPath, [join(__dirname, "../packages/db/scripts/prisma.mjs"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl(name) },
    stdio: "pipe",
  });
  process.env[TEMPLATE_DB_ENV] = name;
}
