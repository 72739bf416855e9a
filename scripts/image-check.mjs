#!/usr/bin/env node
// The Docker images, checked without an engine (CI has none): performs docker/Dockerfile's stages
// into a temporary folder as its lines say (the build context as .dockerignore filters it, the build
// stage's RUN lines, the pruned backend tree, Next's standalone server and its static files where the
// COPY lines put them), then starts every service of docker-compose.yml that has an image, in its
// depends_on order, the way its stage's CMD does, from its WORKDIR, with the stage's ENV and the
// compose file's environment, waits for each compose healthcheck, and checks ingest's /readyz, the
// dashboard's /api/health and pages' static files, one event end to end (posted to ingest, applied
// by the reaper's worker, read through ingest and through the dashboard) and Bull Board (its page and
// assets, direct and through the dashboard). Paths, commands and variables all come from the two
// files, so they cannot drift from what this checks.
//
// Adapted to the machine: the compose services' names (postgres, redis, ingest) become the machine's
// Postgres and Redis and the started ingest; a database and a Redis key prefix of the check's own
// (PULSE_REDIS_PREFIX; dropped afterwards, nothing else); free ports on 127.0.0.1 instead of the
// published 6820/6821 on all interfaces; the services run as this user, not the image's "node".
//
//   node scripts/image-check.mjs [--keep]      (--keep leaves the temporary folder for a look)
// Needs: the machine's npm equal to the Dockerfile's pinned one, docker-compose (v1 is fine), Postgres
// (IMAGE_CHECK_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres) and Redis
// (IMAGE_CHECK_REDIS_URL, default redis://127.0.0.1:6379).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dependencies, publishedPorts, readCompose, servicesInStartOrder } from "./image-check/compose.mjs";
import { parseDockerfile, stagesFor } from "./image-check/dockerfile.mjs";
import { performStages, sizeMb } from "./image-check/stages.mjs";

const repo = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const keep = process.argv.includes("--keep");
// --reuse=<folder a --keep run left>: its stages as they are, only the services started and checked
// again (for working on this script; CI always performs the stages).
const reuse = process.argv.find((a) => a.startsWith("--reuse="))?.slice("--reuse=".length);
const adminUrl = process.env.IMAGE_CHECK_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.IMAGE_CHECK_REDIS_URL ?? "redis://127.0.0.1:6379";
const started = Date.now();
const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[image-check ${since()}] ${line}`);

const compose = readCompose("docker-compose.yml", repo);
const stages = parseDockerfile(join(repo, "docker/Dockerfile"));
const order = servicesInStartOrder(compose);
const targets = order.map((name) => compose.services[name].build.target);
const needed = stages.filter((s) => targets.some((t) => stagesFor(stages, t).includes(s)));

const root = reuse ?? mkdtempSync(join(tmpdir(), "pulse-image-check-"));
const logs = join(root, "logs");
mkdirSync(logs, { recursive: true });
const id = randomBytes(4).toString("hex");
const databaseName = `pulse_image_check_${id}`;
const redisPrefix = `pulse-image-check-${id}`;
const children = [];
let databaseCreated = false;
const figures = {};

// The kit the tests use (packages/test-kit): built by `npm run build`; built here if it is not yet.
if (!existsSync(join(repo, "packages/test-kit/dist/index.js"))) {
  spawnSync("npm", ["run", "build", "-w", "@pulse/test-kit"], { cwd: repo, stdio: "inherit" });
}
const kit = await import(join(repo, "packages/test-kit/dist/index.js"));

async function cleanup() {
  await Promise.all(children.reverse().map(({ child }) => kit.stopChild(child)));
  if (databaseCreated)
    await kit.dropDatabase(adminUrl, databaseName).catch((e) => log(`could not drop ${databaseName}: ${e.message}`));
  await kit
    .deleteKeysWithPrefix(redisUrl, redisPrefix)
    .catch((e) => log(`could not delete ${redisPrefix}:*: ${e.message}`));
  if (keep || reuse) log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

/** Fails with `message` unless `ok`. */
function check(ok, message) {
  if (!ok) throw new Error(message);
  log(`ok: ${message}`);
}

async function main() {
  // ---- the stages ----
  log(
    `Dockerfile stages for ${order.map((s, i) => `${s} (target ${targets[i]})`).join(", ")}: ${needed.map((s) => s.name).join(" → ")}`,
  );
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? root,
    TMPDIR: tmpdir(),
    TURBO_TELEMETRY_DISABLED: "1",
  };
  const buildStarted = Date.now();
  const folders = reuse
    ? reusedStages(needed, join(root, "stages"))
    : performStages(needed, { contextDir: repo, root: join(root, "stages"), log, baseEnv });
  figures.stages_s = (Date.now() - buildStarted) / 1000;
  const measured = new Map();
  for (const target of targets) {
    const stage = stages.find((s) => s.name === target);
    const folder = join(folders[target], stage.workdir);
    if (!measured.has(folder)) measured.set(folder, sizeMb(folder));
    figures[`${target}_app_mb`] = measured.get(folder);
  }

  // ---- the machine's services in place of the compose file's ----
  await kit.createDatabase(adminUrl, databaseName);
  databaseCreated = true;
  const ports = {};
  for (const name of order)
    for (const port of publishedPorts(compose.services[name])) ports[`${name}:${port}`] = await kit.freePort();
  /** A compose value as it must read on this machine. */
  const adapt = (value, servicePorts) => {
    let v = String(value);
    v = v.replace(
      /^postgres(?:ql)?:\/\/[^/]*@postgres:5432\/[^?]*/,
      kit.databaseUrl(adminUrl, databaseName).replace(/\/$/, ""),
    );
    v = v.replace(/^redis:\/\/redis:6379\/?$/, redisUrl);
    v = v.replace(/\/\/([a-z][\w-]*):(\d+)/g, (whole, host, port) =>
      ports[`${host}:${port}`] ? `//127.0.0.1:${ports[`${host}:${port}`]}` : whole,
    );
    if (v === "0.0.0.0") v = "127.0.0.1"; // only this machine: the compose file publishes on loopback too
    if (servicePorts[v]) v = String(servicePorts[v]);
    return v;
  };

  const running = {};
  for (const [i, name] of order.entries()) {
    const service = compose.services[name];
    const stage = stages.find((s) => s.name === targets[i]);
    for (const dep of dependencies(service)) {
      if (!compose.services[dep.service]?.build) continue; // postgres, redis: the machine's, up
      const other = running[dep.service];
      if (dep.condition === "service_completed_successfully") {
        const code = await other.exited;
        check(
          code === 0,
          `${dep.service} completed successfully before ${name} starts (exit ${code}; ${other.logFile})`,
        );
      } else if (dep.condition === "service_healthy") {
        await other.healthy;
      }
    }
    const servicePorts = Object.fromEntries(publishedPorts(service).map((p) => [String(p), ports[`${name}:${p}`]]));
    const env = { PATH: process.env.PATH, HOME: join(root, "home", name) };
    mkdirSync(env.HOME, { recursive: true });
    for (const [key, value] of Object.entries({ ...stage.env, ...service.environment }))
      env[key] = adapt(value, servicePorts);
    env.PULSE_REDIS_PREFIX = redisPrefix;
    const cwd = join(folders[stage.name], stage.workdir);
    const [command, ...args] = stage.cmd;
    const logFile = join(logs, `${name}.log`);
    log(
      `start ${name}: ${stage.cmd.join(" ")} in ${stage.workdir}${
        Object.keys(servicePorts).length
          ? ` (port ${Object.entries(servicePorts)
              .map(([a, b]) => `${a} → ${b}`)
              .join(", ")})`
          : ""
      }`,
    );
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = createWriteStream(logFile);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    const entry = { child, exited, logFile, env, cwd, startedAt: Date.now() };
    entry.healthy = service.healthcheck?.test
      ? healthy(name, service.healthcheck.test, entry, servicePorts)
      : Promise.resolve();
    children.push(entry);
    running[name] = entry;
  }
  for (const name of order) await running[name].healthy;
  figures.start_s = (Date.now() - buildStarted) / 1000 - figures.stages_s;

  // ---- what a user sees ----
  const url = (name, path) => {
    const [port] = publishedPorts(compose.services[name]);
    return `http://127.0.0.1:${ports[`${name}:${port}`]}${path}`;
  };
  const ingestName = order.find((n) => compose.services[n].build.target === "ingest");
  const webName = order.find((n) => compose.services[n].build.target === "web");
  const get = async (address, init) => {
    const response = await fetch(address, { redirect: "manual", signal: AbortSignal.timeout(10_000), ...init });
    return { status: response.status, type: response.headers.get("content-type") ?? "", text: await response.text() };
  };

  const ready = await get(url(ingestName, "/readyz"));
  check(ready.status === 200, `ingest GET /readyz → ${ready.status} ${ready.text}`);
  const health = await get(url(webName, "/api/health"));
  check(health.status === 200, `dashboard GET /api/health → ${health.status} ${health.text}`);

  const page = await get(url(webName, "/"));
  check(page.status === 200 && page.type.includes("text/html"), `dashboard GET / → ${page.status} ${page.type}`);
  const assets = [...new Set(page.text.match(/\/_next\/static\/[^"'\s)]+\.(?:js|css)/g) ?? [])];
  check(assets.length > 0, `the dashboard's page names ${assets.length} static files`);
  for (const asset of assets) {
    const a = await get(url(webName, asset));
    if (a.status !== 200)
      throw new Error(`dashboard GET ${asset} → ${a.status}: the static files are not where the server looks`);
  }
  log(`ok: every one of them answers 200 (.next/static where the web stage copied it)`);

  const sessionId = `image-check-${id}`;
  const event = {
    session_id: sessionId,
    source: "image-check",
    kind: "start",
    name: "image-check.start",
    time: new Date().toISOString(),
    cwd: "/tmp/image-check",
    project: "image-check",
  };
  const posted = await get(url(ingestName, "/v1/events"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(event),
  });
  check(posted.status === 202, `ingest POST /v1/events → ${posted.status} ${posted.text}`);
  const applied = await kit.waitFor(
    async () => {
      const r = await get(url(ingestName, `/v1/sessions/${sessionId}`));
      return r.status === 200 ? JSON.parse(r.text) : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, what: "the event to be applied by the reaper's events worker" },
  );
  check(
    applied.id === sessionId && applied.status === "active" && applied.event_count === 1,
    `the reaper's worker applied it: ingest GET /v1/sessions/:id → ${applied.status}, ${applied.event_count} event`,
  );
  const viaWeb = await get(url(webName, `/api/sessions/${sessionId}`));
  check(
    viaWeb.status === 200 && JSON.parse(viaWeb.text).id === sessionId,
    `the dashboard reads it from ingest (INGEST_URL): GET /api/sessions/:id → ${viaWeb.status}`,
  );

  for (const [who, base] of [
    ["ingest", (p) => url(ingestName, p)],
    ["the dashboard", (p) => url(webName, p)],
  ]) {
    const board = await get(base("/queues/"));
    check(
      board.status === 200 && board.type.includes("text/html"),
      `Bull Board through ${who}: GET /queues/ → ${board.status} ${board.type}`,
    );
    // Its page names them relative to <base href="/queues/">.
    const files = [
      ...new Set(
        [...board.text.matchAll(/(?:src|href)="((?:\/queues\/)?static\/[^"]+)"/g)].map((m) =>
          m[1].startsWith("/") ? m[1] : `/queues/${m[1]}`,
        ),
      ),
    ];
    check(files.length > 0, `Bull Board's page names ${files.length} of its static files`);
    for (const file of files) {
      const f = await get(base(file));
      if (f.status !== 200)
        throw new Error(`Bull Board through ${who}: GET ${file} → ${f.status} (its UI package pruned away?)`);
    }
    const api = await get(base("/queues/api/queues?activeQueue=events&status=latest&page=1&jobsPerPage=10"));
    check(
      api.status === 200 && api.text.includes('"events"'),
      `Bull Board's API through ${who} lists the events queue → ${api.status}`,
    );
  }

  // ---- stop as `docker compose down` would (SIGTERM) ----
  for (const entry of [...children].reverse()) {
    if (entry.child.exitCode !== null || entry.child.signalCode !== null) continue;
    entry.signalled = true;
    entry.child.kill("SIGTERM");
  }
  for (const [i, [name, entry]] of Object.entries(running).entries()) {
    // Docker sends SIGKILL 10 s after SIGTERM. Next's server answers SIGTERM by exiting 143 (its clean
    // stop, see test/faults/web-shutdown.int.test.ts); Pulse's own services finish their work and exit 0.
    const stage = stages.find((s) => s.name === targets[i]);
    const next = stage.steps.some(
      (step) => step.op === "COPY" && step.sources.some((source) => source.endsWith(".next/standalone")),
    );
    const expected = next ? 143 : 0;
    const code = await Promise.race([
      entry.exited,
      new Promise((r) => setTimeout(() => r("still running 10 s after SIGTERM"), 10_000)),
    ]);
    check(
      code === expected,
      entry.signalled
        ? `${name} stopped cleanly on SIGTERM: exit ${code}${next ? " (Next's server)" : ""}`
        : `${name} had exited: ${code}`,
    );
  }
  figures.total_s = (Date.now() - started) / 1000;
  log(`figures: ${JSON.stringify(figures)}`);
}

/** The folders a --keep run left: a stage without steps of its own shares its parent's, as performStages does. */
function reusedStages(list, stagesRoot) {
  const folders = {};
  for (const stage of list)
    folders[stage.name] =
      stage.parent && stage.steps.length === 0 ? folders[stage.parent] : join(stagesRoot, stage.name);
  return folders;
}

/** Runs the compose healthcheck's own command (ports adapted) until it passes, as often as compose would allow. */
async function healthy(name, test, entry, servicePorts) {
  const [kind, ...command] = test;
  if (kind !== "CMD") throw new Error(`${name}: healthcheck ${kind} is not understood by the image check`);
  const adapted = command.map((part) =>
    part.replace(/127\.0\.0\.1:(\d+)/g, (whole, port) =>
      servicePorts[port] ? `127.0.0.1:${servicePorts[port]}` : whole,
    ),
  );
  const outcome = await kit.waitFor(
    async () => {
      if (entry.child.exitCode !== null || entry.child.signalCode !== null)
        return { exited: entry.child.exitCode ?? entry.child.signalCode };
      const result = spawnSync(adapted[0], adapted.slice(1), { cwd: entry.cwd, env: entry.env, timeout: 5000 });
      return result.status === 0 ? { healthy: true } : undefined;
    },
    {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: `${name}'s healthcheck (${adapted.join(" ").slice(0, 80)}…); see ${entry.logFile}`,
    },
  );
  if (!outcome.healthy)
    throw new Error(`${name} exited (${outcome.exited}) before its healthcheck passed; see ${entry.logFile}`);
  log(`ok: ${name} healthy ${((Date.now() - entry.startedAt) / 1000).toFixed(1)} s after its start`);
}

try {
  await main();
  await cleanup();
  log("the images' stages and services work as the Dockerfile and docker-compose.yml describe them");
} catch (error) {
  console.error(`[image-check ${since()}] FAILED: ${error.message}`);
  console.error(`logs of the services: ${logs}${keep ? "" : " (removed; run with --keep to look)"}`);
  if (!keep) for (const { logFile } of children) spawnSync("tail", ["-n", "20", logFile], { stdio: "inherit" });
  await cleanup();
  process.exit(1);
}
