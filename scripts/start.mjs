// `npm start`'s last step: runs ingest, the reaper (events worker + stale sweep) and, once built, the
// web dashboard, with their output prefixed. Ctrl+C / SIGTERM stops them in order (HTTP first, so no
// request is cut off; then the workers, which finish their running jobs) and exits 0.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const root = new URL("..", import.meta.url).pathname;
const colour = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;

const apps = [
  { name: "ingest", colour: 36, command: process.execPath, args: ["apps/ingest/dist/main.js"] },
  { name: "reaper", colour: 35, command: process.execPath, args: ["apps/reaper/dist/main.js"] },
];
// The dashboard joins once it is built (apps/web, `next build` in `npm run build`). Next runs as a
// direct child (not through npm and a shell), so the stop signal reaches the server itself.
if (existsSync(`${root}apps/web/.next/BUILD_ID`)) {
  const next = createRequire(`${root}apps/web/package.json`).resolve("next/dist/bin/next");
  const args = [
    next,
    "start",
    "apps/web",
    "--port",
    process.env.WEB_PORT ?? "6821",
    "--hostname",
    process.env.HOST ?? "127.0.0.1",
  ];
  apps.splice(1, 0, { name: "web", colour: 33, command: process.execPath, args });
}

let stopping = false;
const running = apps.map((app) => {
  const child = spawn(app.command, app.args, {
    cwd: root,
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const label = colour(app.colour, app.name.padEnd(6));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`${label} | ${line}`));
  }
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`${label} | exited (${signal ?? `code ${code}`}); stopping the others`);
    void stop(1);
  });
  return { ...app, child, exited };
});

async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  // In order: whatever serves HTTP first, then the workers.
  for (const app of running) {
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill("SIGTERM");
    const timeout = setTimeout(() => app.child.kill("SIGKILL"), 30_000);
    await app.exited;
    clearTimeout(timeout);
  }
  process.exit(exitCode);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
