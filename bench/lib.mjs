// What both benchmarks need: a database and a Redis prefix of their own (created, then removed: only
// what the benchmark created), a free port, waiting, percentiles.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import pg from "pg";

const require = createRequire(import.meta.url);
export const root = new URL("..", import.meta.url).pathname;

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

export const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The value at percentile p (0–100) of ascending samples. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(check, what, timeoutMs = 300_000, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * A migrated database and a Redis prefix for one benchmark run. `remove()` drops that database and
 * deletes that prefix's keys, nothing else.
 */
export function benchResources(label) {
  const id = randomBytes(4).toString("hex");
  const dbName = `pulse_bench_${label}_${id}`;
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redisPrefix = `pulse-bench-${label}-${id}`;
  return {
    databaseUrl,
    redisUrl,
    redisPrefix,
    create() {
      const setup = spawnSync(process.execPath, [`${root}packages/db/scripts/setup.mjs`], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });
      if (setup.status !== 0) throw new Error(`database setup failed: ${setup.stderr}`);
    },
    async remove() {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
      const { Redis } = require("ioredis");
      const redis = new Redis(redisUrl);
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
      redis.disconnect();
    },
  };
}
