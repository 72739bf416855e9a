// What both benchmarks need: a database and a Redis prefix of their own (created, then removed: only
// what the benchmark created), a free port, waiting, percentiles.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
// The kit the tests use too (packages/test-kit, built by `npm run build`, which every bench script runs first).
import {
  databaseUrl as databaseUrlOn,
  deleteKeysWithPrefix,
  dropDatabase,
  freePort,
  waitFor as kitWaitFor,
} from "@pulse/test-kit";

export const root = new URL("..", import.meta.url).pathname;

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

export const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The value at percentile p (0–100) of ascending samples. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export { freePort };

/** Polls until `check` answers something truthy, like the tests' waitFor (the shared kit's). */
export function waitFor(check, what, timeoutMs = 300_000, intervalMs = 20) {
  return kitWaitFor(async () => (await check()) || undefined, { what, timeoutMs, intervalMs });
}

/**
 * A migrated database and a Redis prefix for one benchmark run. `remove()` drops that database and
 * deletes that prefix's keys, nothing else.
 */
export function benchResources(label) {
  const id = randomBytes(4).toString("hex");
  const dbName = `pulse_bench_${label}_${id}`;
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const databaseUrl = databaseUrlOn(adminUrl, dbName);
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redisPrefix = `pulse-bench-${label}-${id}`;
  return {
    databaseUrl,
    redisUrl,
    redisPrefix,
    create() {
      const setup = spawnSync(process.execPath, [`${root}packages/db/scripts/setup.mjs`], {
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: "pipe",
      });
      if (setup.status !== 0) throw new Error(`database setup failed: ${setup.stderr}`);
    },
    async remove() {
      await dropDatabase(adminUrl, dbName);
      await deleteKeysWithPrefix(redisUrl, redisPrefix);
    },
  };
}
