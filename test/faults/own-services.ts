import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { Redis } from "ioredis";
import { waitFor } from "../env";
import { freePort, ROOT } from "./processes";

// Services a fault test may kill: its own Redis and its own Postgres cluster, on ports and in data
// directories of its own. The machine's shared ones are never touched.

export interface OwnRedis {
  url: string;
  /** kill -9: no shutdown, no final AOF rewrite. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and data directory (its AOF is replayed). */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

/** A redis-server with the compose file's persistence (AOF on, fsync every second, no RDB, noeviction). */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "pulse-own-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  const start = async () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: "ignore" },
    );
    await waitFor(
      async () => {
        const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await probe.connect();
          return (await probe.ping()) === "PONG";
        } finally {
          probe.disconnect();
        }
      },
      { timeoutMs: 15_000, what: `redis-server on ${port}` },
    );
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await gone;
  };
  await start();
  return {
    url,
    kill9: () => kill("SIGKILL"),
    restart: start,
    async destroy() {
      await kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OwnPostgres {
  /** The migrated `pulse` database of this cluster. */
  databaseUrl: string;
  /** pg_ctl stop: `fast` rolls back open transactions and ends connections; `immediate` is a crash. */
  stop(mode: "fast" | "immediate"): void;
  start(): void;
  destroy(): void;
}

function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
  if (!version) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
  return join(root, version, "bin");
}

/**
 * A Postgres cluster of the test's own (initdb into a temp dir, its own port and socket directory),
 * with Pulse's migrations applied by the real `prisma migrate deploy`. As root, the server runs as
 * the `postgres` user (it refuses root).
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "pulse-own-pg-"));
  const data = join(dir, "data");
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) {
    const { uid, gid } = userIds("postgres");
    chownSync(dir, uid, gid);
  }
  const run = (command: string, args: string[]) =>
    execFileSync(asPostgres ? "runuser" : command, asPostgres ? ["-u", "postgres", "--", command, ...args] : args, {
      stdio: "pipe",
    });
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  const start = () =>
    run(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
      "start",
    ]);
  start();
  const admin = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query("CREATE DATABASE pulse");
  await admin.end();
  const databaseUrl = `postgresql://postgres@127.0.0.1:${port}/pulse`;
  execFileSync(process.execPath, [join(ROOT, "packages/db/scripts/prisma.mjs"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "pipe",
  });
  const stop = (mode: "fast" | "immediate") => run(join(bin, "pg_ctl"), ["-D", data, "-m", mode, "-w", "stop"]);
  return {
    databaseUrl,
    stop,
    start,
    destroy() {
      try {
        stop("immediate");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, name]).toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}
