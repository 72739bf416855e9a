// Dead letters (issue 10): a job that fails for good is listed with its reason by GET /v1/queues,
// and can be retried from the queue board; retrying applies nothing twice.
import { applyEventsJob, QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";

let stack: TestStack;
let api: ReturnType<typeof client>;
let redis: Redis;
let events: Queue;
beforeAll(async () => {
  stack = await startStack({ label: "deadletters" });
  api = client(stack.url);
  redis = new Redis(stack.env.redisUrl, { maxRetriesPerRequest: null });
  events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: stack.env.redisPrefix });
});
afterAll(async () => {
  await events.close();
  await redis.quit();
  await stack.stop();
});

describe("GET /v1/queues", () => {
  it("counts every queue's jobs, lists failed ones with their reason, and the queue board retries them", async () => {
    const empty = await api.get("/v1/queues");
    expect(empty.status).toBe(200);
    expect(empty.body.failed_total).toBe(0);
    expect(empty.body.queues.map((q: any) => q.name).sort()).toEqual([
      "events",
      "maintenance",
      "notifications",
      "reaper",
    ]);
    // A payload that can never be valid (only a bug could queue it): failed at once, not retried.
    const job = await events.add(
      applyEventsJob.name,
      { events: [{ session_id: "x", kind: "nap" }] },
      applyEventsJob.options,
    );
    await waitFor(async () => ((await job.getState()) === "failed" ? true : undefined), { what: "the job to fail" });
    const listed = await api.get("/v1/queues");
    expect(listed.body.failed_total).toBe(1);
    const queue = listed.body.queues.find((q: any) => q.name === "events");
    expect(queue.counts.failed).toBe(1);
    expect(queue.failed[0]).toMatchObject({
      id: job.id,
      name: applyEventsJob.name,
      attempts_made: 1,
      failed_reason: expect.stringMatching(/invalid payload/),
    });
    expect(Date.parse(queue.failed[0].failed_at)).not.toBeNaN();
    // The documented retry: the queue board's API (the "Retry all" button).
    const retry = await fetch(`${stack.url}/queues/api/queues/events/retry/failed`, { method: "PUT" });
    expect(retry.status).toBe(200);
    await waitFor(async () => ((await events.getJob(job.id!))?.attemptsMade === 2 ? true : undefined), {
      what: "the retried job to run again",
    });
    expect((await api.get("/v1/queues")).body.failed_total).toBe(1);
  });
});

describe("GET /v1/stats", () => {
  it("counts the events queue's dead letters as failed_jobs, as GET /v1/queues does", async () => {
    const before = (await api.get("/v1/stats")).body.failed_jobs;
    expect(before).toBe(await events.getFailedCount());
    const job = await events.add(
      applyEventsJob.name,
      { events: [{ session_id: "y", kind: "nap" }] },
      applyEventsJob.options,
    );
    await waitFor(async () => ((await job.getState()) === "failed" ? true : undefined), { what: "the job to fail" });
    const [stats, queues] = await Promise.all([api.get("/v1/stats"), api.get("/v1/queues")]);
    expect(stats.status).toBe(200);
    expect(stats.body.failed_jobs).toBe(before + 1);
    expect(stats.body.failed_jobs).toBe(queues.body.queues.find((q: any) => q.name === "events").counts.failed);
  });
});
