/**
 * Starts the real Pulse stack for the end-to-end tests, from built output: its own Postgres
 * database and Redis key prefix, ingest, reaper and the dashboard (`next start`), on free ports.
 * `stop()` ends the processes it started and drops only what it created.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ingestUpSinceKey } from "@pulse/queues";
import {
  databaseUrl as databaseUrlOn,
  deleteKeysWithPrefix,
  dropDatabase,
  freePort,
  stopChild,
  waitForHttp,
} from "@pulse/test-kit";
import { Redis } from "ioredis";
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

/** Waits for `url` to answer 2xx; fails at once if `child` exits first. */
function waitFor(url: string, what: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  return waitForHttp(url, { what, child, timeoutMs, hint: `see ${LOG_DIR}` });
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
  const databaseUrl = databaseUrlOn(options.postgresUrl, databaseName);
  const redisPrefix = `pulse-e2e-${suffix}`;
  const children: ChildProcess[] = [];
  let databaseCreated = false;

  const stop = async () => {
    await Promise.all(children.reverse().map(stopChild));
    if (databaseCreated) await dropDatabase(options.postgresUrl, databaseName);
    await deleteKeysWithPrefix(options.redisUrl, redisPrefix);
  };

  try {
    // Create + migrate (the same script `npm start` uses). Marked created first: a failed migration still leaves a database to drop.
    databaseCreated = true;
    const setup = run("db-setup", [path.join(REPO_ROOT, "packages/db/scripts/setup.mjs")], {
      DATABASE_URL: databaseUrl,
    });
    const setupCode = await new Promise<number | null>((resolve) => setup.once("exit", resolve));
    if (setupCode !== 0) throw new Error(`database setup failed (exit ${setupCode}); see ${LOG_DIR}/db-setup.log`);

    const [ingestPort, webPort, webNoIngestPort, webNoTokenPort, closedPort, openIngestPort, webOpenPort] =
      await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    const backend = {
      DATABASE_URL: databaseUrl,
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
    const webNoIngest = run(
      "web-no-ingest",
      [next, "start", WEB_DIR, "--port", String(webNoIngestPort), "--hostname", "127.0.0.1"],
      {
        ...webEnv,
        WEB_PORT: String(webNoIngestPort),
        INGEST_URL: `http://127.0.0.1:${closedPort}`,
      },
    );
    children.push(webNoIngest);
    const webNoToken = run(
      "web-no-token",
      [next, "start", WEB_DIR, "--port", String(webNoTokenPort), "--hostname", "127.0.0.1"],
      {
        ...webEnv,
        WEB_PORT: String(webNoTokenPort),
        INGEST_URL: ingestUrl,
      },
    );
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
      databaseUrl: databaseUrl,
      redisPrefix,
      token: options.token,
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
