import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createPrismaClient } from "@pulse/db";
import { createTestEnv, freePort, type TestEnv, waitFor } from "./env";

// Runs the built apps (`npm test` builds first) as real processes and stops them with SIGTERM.
const ROOT = join(__dirname, "..");

function run(
  app: "ingest" | "reaper",
  env: Record<string, string>,
): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [join(ROOT, `apps/${app}/dist/main.js`)], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exit, output: () => output };
}

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv("shutdown");
});
afterAll(() => env.cleanup());

it("SIGTERM: ingest finishes in-flight requests and the worker its jobs, both exit 0, and no accepted event is lost", async () => {
  const port = await freePort();
  const vars = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    PULSE_REDIS_PREFIX: env.redisPrefix,
    INGEST_PORT: String(port),
    SESSION_STALE_TIMEOUT_MINUTES: "1000",
  };
  const ingest = run("ingest", vars);
  let reaper = run("reaper", vars);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, { what: "ingest ready" });

  const accepted: string[] = [];
  const refused: string[] = [];
  let sent = 0;
  let sigtermSent = false;
  const t0 = Date.now() - 60_000;
  async function sender(worker: number) {
    for (let i = 0; i < 200; i++) {
      const key = `w${worker}-e${i}`;
      const body = JSON.stringify({
        session_id: `shutdown-${worker % 20}`,
        hook_event_name: "PostToolUse",
        cwd: "/w/shutdown",
        tool_name: "Bash",
      });
      sent++;
      if (sent === 1500 && !sigtermSent) {
        sigtermSent = true;
        ingest.child.kill("SIGTERM");
      }
      try {
        const reply = await fetch(`${url}/v1/hooks/claude-code`, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json",
            "idempotency-key": key,
            "x-pulse-event-time": String(t0 + sent),
          },
        });
        await reply.text();
        (reply.status === 202 ? accepted : refused).push(key);
      } catch {
        refused.push(key);
      }
    }
  }
  await Promise.all(Array.from({ length: 40 }, (_, w) => sender(w)));

  expect(await ingest.exit).toBe(0);
  expect(ingest.output()).toMatch(/stopping: no new requests/);
  expect(accepted.length).toBeGreaterThanOrEqual(1000);
  expect(refused.length).toBeGreaterThan(0);

  // Stop the worker while it may still be applying the backlog; it finishes its running jobs and exits 0.
  reaper.child.kill("SIGTERM");
  expect(await reaper.exit).toBe(0);
  // A new worker takes whatever was left in the queue.
  reaper = run("reaper", vars);
  const prisma = createPrismaClient(env.databaseUrl);
  try {
    const applied = await waitFor(
      async () => {
        const n = await prisma.event.count();
        return n >= accepted.length ? n : undefined;
      },
      { timeoutMs: 30_000, what: `${accepted.length} accepted events applied` },
    );
    expect(applied).toBe(accepted.length);
    const keys = new Set((await prisma.event.findMany({ select: { key: true } })).map((e) => e.key));
    expect(accepted.every((k) => keys.has(k))).toBe(true);
    const counted = await prisma.session.aggregate({ _sum: { eventCount: true } });
    expect(counted._sum.eventCount).toBe(accepted.length);
  } finally {
    await prisma.$disconnect();
    reaper.child.kill("SIGTERM");
    await reaper.exit;
  }
}, 90_000);
