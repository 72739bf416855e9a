import { buildEvent, eventInputSchema, mapEventInput } from "@pulse/core";
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { applyEventBatch } from "@pulse/sessions";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { type AppProcess, runApp } from "../../../test/faults/processes";
import { startReceiver, type Receiver } from "../../../test/notify-receiver";

// Exactly once across a worker killed mid-delivery and with two workers at once: the built reaper
// (`npm test` builds first) run as processes of its own, a real local receiver (docs/notifications.md).

let env: TestEnv;
let prisma: PrismaClient;
let receiver: Receiver;
const procs: AppProcess[] = [];

beforeEach(async () => {
  env = await createTestEnv("notify-procs");
  prisma = createPrismaClient(env.databaseUrl);
  receiver = await startReceiver();
});
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
  await receiver.close();
  await prisma.$disconnect();
  await env.cleanup();
});

const reaper = (extra: Record<string, string> = {}) => {
  const proc = runApp("reaper", {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    PULSE_REDIS_PREFIX: env.redisPrefix,
    SESSION_STALE_TIMEOUT_MINUTES: "1000",
    ...extra,
  });
  procs.push(proc);
  return proc;
};

let seq = 0;
/** Sessions waiting on a permission since now, through the store's real apply path. */
async function waits(ids: string[]) {
  const time = Date.now();
  await applyEventBatch(
    prisma,
    ids.map((id) => {
      const input = eventInputSchema.parse({
        session_id: id,
        source: "claude-code",
        kind: "attention",
        waiting_reason: "permission",
        project: "procs",
        time,
      });
      return buildEvent(
        input,
        mapEventInput(input),
        { key: `k${++seq}`, receivedMs: time, stampedMs: time, host: null },
        input,
      );
    }),
  );
}
const channel = () =>
  prisma.notificationChannel.create({
    data: { id: "ch_procs", name: "procs", type: "webhook", url: `${receiver.url}/hook`, settleSeconds: 0 },
  });

it("a worker killed with SIGKILL mid-delivery: another takes the job over and the receiver answers exactly one delivery, every try with the same Idempotency-Key", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  receiver.setAnswer(async () => {
    if (!first) return 200;
    first = false;
    await held;
    return 200;
  });
  await channel();
  const a = reaper();
  await waits(["kill-1"]);
  await waitFor(() => receiver.received.length === 1, { what: "the first try", timeoutMs: 20_000 });
  const killedAt = Date.now();
  a.signal("SIGKILL");
  await a.exited;
  // The killed worker's answer is lost: the receiver's answer goes to a closed connection.
  release();
  const b = reaper();
  await waitFor(() => receiver.delivered().length === 1, {
    what: "the second worker's delivery",
    timeoutMs: 60_000,
    intervalMs: 100,
  });
  const tookOverMs = receiver.delivered()[0].at - killedAt;
  // Nothing more comes: not the sweep's lost-job find, not a stalled job again.
  await new Promise((r) => setTimeout(r, 3000));
  process.stdout.write(
    `\nFIGURES notify-kill: requests=${receiver.received.length} answered_2xx=${receiver.delivered().length} took_over_ms=${tookOverMs}\n`,
  );
  expect(receiver.received).toHaveLength(2);
  expect(receiver.received[0].answered).toBeNull();
  expect(receiver.delivered()).toHaveLength(1);
  const keys = new Set(receiver.received.map((r) => r.headers["idempotency-key"]));
  expect(keys.size).toBe(1);
  const row = await prisma.notificationDelivery.findFirstOrThrow({ where: { sessionId: "kill-1" } });
  expect(row).toMatchObject({ status: "delivered", attempts: 2 });
  expect([...keys][0]).toBe(row.id);
  expect(b.output()).not.toContain(receiver.url + "/hook");
}, 90_000);

it("two workers at once and 120 waits: each wait is delivered exactly once", async () => {
  receiver.setAnswer(async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 50));
    return 200;
  });
  await channel();
  // Debug logs say each delivery a process made: both must have made some.
  const workers = [reaper({ LOG_LEVEL: "debug" }), reaper({ LOG_LEVEL: "debug" })];
  const ids = Array.from({ length: 120 }, (_, i) => `two-${i}`);
  // In waves, so both workers' sweeps and deliveries overlap.
  for (let i = 0; i < ids.length; i += 20) {
    await waits(ids.slice(i, i + 20));
    await new Promise((r) => setTimeout(r, 150));
  }
  await waitFor(() => receiver.delivered().length >= ids.length, {
    what: "every wait",
    timeoutMs: 60_000,
    intervalMs: 100,
  });
  await new Promise((r) => setTimeout(r, 3000));
  const bySession = new Map<string, number>();
  for (const r of receiver.received) bySession.set(r.body.session.id, (bySession.get(r.body.session.id) ?? 0) + 1);
  expect([...bySession.keys()].sort()).toEqual([...ids].sort());
  expect([...bySession.values()].every((n) => n === 1)).toBe(true);
  expect(receiver.received).toHaveLength(ids.length);
  expect(await prisma.notificationDelivery.count({ where: { status: "delivered" } })).toBe(ids.length);
  const made = workers.map((w) => w.logs().filter((l) => l.msg === "delivered").length);
  process.stdout.write(`\nFIGURES notify-two-workers: waits=${ids.length} delivered_by=${made.join("+")}\n`);
  expect(made[0] + made[1]).toBe(ids.length);
  expect(Math.min(...made)).toBeGreaterThan(0);
}, 90_000);
