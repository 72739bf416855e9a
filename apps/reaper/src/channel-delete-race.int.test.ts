import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { Client } from "pg";
import { client } from "../../../test/http";
import { startReceiver, type Receiver } from "../../../test/notify-receiver";
import { startStack, type TestStack } from "../../../test/stack";
import { waitFor } from "../../../test/env";

// Deleting a channel while the delivery worker writes a delivery's outcome. Both touch the delivery
// row and its channel row; the worker takes the delivery first (recordDelivered, recordFailure), and
// a channel delete took the channel first (its cascade reached the deliveries after), so Postgres
// found a deadlock and aborted one side: a 500 to DELETE (seen in CI), or an outcome lost.
// The worker's statement is held open half-way here, in its own order, so the overlap is certain.

let stack: TestStack;
let prisma: PrismaClient;
let api: ReturnType<typeof client>;
let receiver: Receiver;

beforeAll(async () => {
  stack = await startStack({ label: "chdelete", env: { SESSION_STALE_TIMEOUT_MINUTES: "1000" } });
  prisma = createPrismaClient(stack.env.databaseUrl);
  api = client(stack.url);
  receiver = await startReceiver();
});
afterAll(async () => {
  await prisma.$disconnect();
  await stack.stop();
  await receiver.close();
});

async function channelWithDelivery(name: string, session: string) {
  const created = await api.post("/v1/notifications/channels", {
    type: "webhook",
    name,
    url: `${receiver.url}/hook/${name}`,
    settle_seconds: 0,
  });
  expect(created.status).toBe(201);
  const wait = { session_id: session, source: "claude-code", kind: "attention", waiting_reason: "permission" };
  expect((await api.post("/v1/events", wait)).status).toBe(202);
  const delivery = await waitFor(
    async () =>
      (await prisma.notificationDelivery.findFirst({ where: { channelId: created.body.id, status: "delivered" } })) ??
      undefined,
    { what: `${name}'s delivery` },
  );
  return { channelId: created.body.id as string, deliveryId: delivery.id };
}

it("a channel deleted while a delivery's outcome is being written is deleted (200), and the outcome is written", async () => {
  const { channelId, deliveryId } = await channelWithDelivery("held", "race-held");
  const worker = new Client({ connectionString: stack.env.databaseUrl });
  await worker.connect();
  try {
    // The worker's order: the delivery row first…
    await worker.query("BEGIN");
    await worker.query("UPDATE notification_deliveries SET updated_at = now() WHERE id = $1", [deliveryId]);
    const removing = api.request("DELETE", `/v1/notifications/channels/${channelId}`);
    // …then its channel, once the delete is under way (waiting for the delivery row, or holding the channel).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const channelWrite = worker.query("UPDATE notification_channels SET last_attempt_at = now() WHERE id = $1", [
      channelId,
    ]);
    // Postgres looks for deadlocks after deadlock_timeout (1 s): both sides must have gone on.
    await expect(channelWrite).resolves.toMatchObject({ rowCount: 1 });
    await worker.query("COMMIT");
    const removed = await removing;
    expect([removed.status, removed.body?.id]).toEqual([200, channelId]);
  } finally {
    await worker.end();
  }
  expect(await prisma.notificationChannel.count({ where: { id: channelId } })).toBe(0);
  expect(await prisma.notificationDelivery.count({ where: { channelId } })).toBe(0);
});

it("channels deleted one after another while their deliveries go on: every DELETE is a 200, no delivery job fails", async () => {
  const statuses: number[] = [];
  for (let round = 0; round < 5; round++) {
    const { channelId } = await channelWithDelivery(`round-${round}`, `race-round-${round}`);
    statuses.push((await api.request("DELETE", `/v1/notifications/channels/${channelId}`)).status);
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200]);
  const board = await api.get("/queues/api/queues");
  const notifications = board.body.queues.find((q: { name: string }) => q.name === "notifications");
  expect(notifications.counts.failed ?? 0).toBe(0);
});
