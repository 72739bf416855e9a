/**
 * Starts the real Pulse stack for the end-to-end tests, from built output: its own Postgres
 * database and Redis key prefix, ingest, reaper and the dashboard (`next start`), on free ports.
 * `stop()` ends the processes it started and drops only what it created.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ingestUpSinceKey } from "@pulse/queues";
import { Redis } from "ioredis";
import pg from "pg";
import { LOG_DIR, REPO_ROOT, WEB_DIR } from "./paths";


export interface StackOptions {
  postgresUrl: string;
  redisUrl: string;
  token: string;
  /** Minutes of silence after which the reaper ends a session (fractions allowed). */
  staleTimeoutMinutes: number;
}

export interface Stack {
  ingestUrl: string;
  webUrl: string;
  /** A second dashboard whose ingest is down and which has no token: for the banner and loopback-only checks. */
  webNoIngestUrl: string;
  /** A third dashboard without the token the real ingest requires: for the misconfiguration banner. */
  webNoTokenUrl: string;
  /** A second ingest on the same database and queues, without PULSE_TOKEN (the default setup): for cross-site and rebinding checks. */
  openIngestUrl: string;
  /**
   * A dashboard without PULSE_TOKEN on the open ingest, listening on every interface (0.0.0.0), so a
   * connection from this machine's non-loopback address can show it is refused whatever Host it names.
   */
  webOpenUrl: string;
  databaseUrl: string;
  redisPrefix: string;
  token: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, what: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready; see ${LOG_DIR}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} not ready at ${url} after ${timeoutMs} ms (${last}); see ${LOG_DIR}`);
}

function run(name: string, args: string[], env: Record<string, string>): ChildProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function requireBuilt(file: string, hint: string): string {
  const full = path.join(REPO_ROOT, file);
  if (!existsSync(full)) throw new Error(`${file} is missing: ${hint}`);
  return full;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  requireBuilt("apps/ingest/dist/main.js", "run `npm run build` first");
  requireBuilt("apps/reaper/dist/main.js", "run `npm run build` first");
  requireBuilt("apps/web/.next/BUILD_ID", "run `npm run build` first (it builds the dashboard too)");

  const suffix = randomBytes(4).toString("hex");
  const databaseName = `pulse_e2e_${suffix}`;
  const databaseUrl = new URL(options.postgresUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const redisPrefix = `pulse-e2e-${suffix}`;
  const children: ChildProcess[] = [];
  let databaseCreated = false;

  const stop = async () => {
    await Promise.all(children.reverse().map(stopChild));
    if (databaseCreated) {
      const admin = new pg.Client({ connectionString: options.postgresUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await admin.end();
    }
    const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
    await redis.quit();
  };

  try {
    // Create + migrate (the same script `npm start` uses). Marked created first: a failed migration still leaves a database to drop.
    databaseCreated = true;
    const setup = run("db-setup", [path.join(REPO_ROOT, "packages/db/scripts/setup.mjs")], { DATABASE_URL: databaseUrl.toString() });
    const setupCode = await new Promise<number | null>((resolve) => setup.once("exit", resolve));
    if (setupCode !== 0) throw new Error(`database setup failed (exit ${setupCode}); see ${LOG_DIR}/db-setup.log`);

    const [ingestPort, webPort, webNoIngestPort, webNoTokenPort, closedPort, openIngestPort, webOpenPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const backend = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: options.redisUrl,
      PULSE_REDIS_PREFIX: redisPrefix,
      PULSE_TOKEN: options.token,
      SESSION_STALE_TIMEOUT_MINUTES: String(options.staleTimeoutMinutes),
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
    };
    // Lifecycle rule 9: the reaper judges silence only once ingest has been up a full stale timeout.
    // The tests play sessions that went silent long ago, as if Pulse had been running all along:
    // start the run of "ingest is up" a day back (ingest extends a run that exists, SET NX).
    const presence = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await presence.connect();
    await presence.set(ingestUpSinceKey(redisPrefix), String(Date.now() - 24 * 3_600_000), "PX", 60_000);
    await presence.quit();
    const ingestUrl = `http://127.0.0.1:${ingestPort}`;
    const ingest = run("ingest", ["apps/ingest/dist/main.js"], { ...backend, INGEST_PORT: String(ingestPort) });
    children.push(ingest);
    children.push(run("reaper", ["apps/reaper/dist/main.js"], { ...backend, REAPER_INTERVAL_SECONDS: "1" }));
    const openIngestUrl = `http://127.0.0.1:${openIngestPort}`;
    const openBackend: Record<string, string> = { ...backend, INGEST_PORT: String(openIngestPort) };
    delete openBackend.PULSE_TOKEN;
    const openIngest = run("ingest-open", ["apps/ingest/dist/main.js"], openBackend);
    children.push(openIngest);

    const next = path.join(REPO_ROOT, "node_modules/next/dist/bin/next");
    const webEnv = { REDIS_URL: options.redisUrl, PULSE_REDIS_PREFIX: redisPrefix, HOST: "127.0.0.1" };
    const web = run("web", [next, "start", WEB_DIR, "--port", String(webPort), "--hostname", "127.0.0.1"], {
      ...webEnv,
      WEB_PORT: String(webPort),
      INGEST_URL: ingestUrl,
      PULSE_TOKEN: options.token,
    });
    children.push(web);
    // Nothing listens on closedPort: this dashboard's ingest is "down".
    const webNoIngest = run("web-no-ingest", [next, "start", WEB_DIR, "--port", String(webNoIngestPort), "--hostname", "127.0.0.1"], {
      ...webEnv,
      WEB_PORT: String(webNoIngestPort),
      INGEST_URL: `http://127.0.0.1:${closedPort}`,
    });
    children.push(webNoIngest);
    const webNoToken = run("web-no-token", [next, "start", WEB_DIR, "--port", String(webNoTokenPort), "--hostname", "127.0.0.1"], {
      ...webEnv,
      WEB_PORT: String(webNoTokenPort),
      INGEST_URL: ingestUrl,
    });
    children.push(webNoToken);
    const webOpen = run("web-open", [next, "start", WEB_DIR, "--port", String(webOpenPort), "--hostname", "0.0.0.0"], {
      ...webEnv,
      HOST: "0.0.0.0",
      WEB_PORT: String(webOpenPort),
      INGEST_URL: openIngestUrl,
    });
    children.push(webOpen);

    await Promise.all([
      waitFor(`${ingestUrl}/readyz`, "ingest", ingest),
      waitFor(`http://127.0.0.1:${webPort}/api/health`, "web", web),
      waitFor(`http://127.0.0.1:${webNoIngestPort}/api/health`, "web (no ingest)", webNoIngest),
      waitFor(`http://127.0.0.1:${webNoTokenPort}/api/health`, "web (no token)", webNoToken),
      waitFor(`${openIngestUrl}/readyz`, "ingest (no token)", openIngest),
      waitFor(`http://127.0.0.1:${webOpenPort}/api/health`, "web (no token, 0.0.0.0)", webOpen),
    ]);
    return {
      ingestUrl,
      webUrl: `http://127.0.0.1:${webPort}`,
      webNoIngestUrl: `http://127.0.0.1:${webNoIngestPort}`,
      webNoTokenUrl: `http://127.0.0.1:${webNoTokenPort}`,
      openIngestUrl,
      webOpenUrl: `http://127.0.0.1:${webOpenPort}`,
      databaseUrl: databaseUrl.toString(),
      redisPrefix,
      token: options.token,
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
