import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createTestEnv, type TestEnv, waitFor } from "../../../test/env";
import { oldestPendingJobAt } from "./backlog";
import { outageError } from "./workers/apply-failure";

let env: TestEnv;
let redis: Redis;
let queue: Queue;

beforeEach(async () => {
  env = await createTestEnv("backlog");
  redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue("backlog-test", { connection: redis, prefix: env.redisPrefix });
});
afterEach(async () => {
  await queue.close();
  await redis.quit();
  await env.cleanup();
});

describe("oldestPendingJobAt (the reaper's backlog rule)", () => {
  it("counts waiting jobs and retries after an outage, not retries of a job that failed for anything else", async () => {
    const now = Date.now();
    const retry = { attempts: 5, backoff: { type: "fixed", delay: 3_600_000 } };
    await queue.add("outage", {}, { ...retry, timestamp: now - 50_000 });
    await queue.add("poison", {}, { ...retry, timestamp: now - 90_000 });
    await queue.add("later", {}, { delay: 3_600_000, timestamp: now - 30_000 });
    const worker = new Worker(
      "backlog-test",
      async (job) => {
        throw job.name === "outage"
          ? outageError(new Error("Can't reach database server at 127.0.0.1:5432"))
          : new Error("Postgres P0001: refused by trigger");
      },
      { connection: redis, prefix: env.redisPrefix },
    );
    await waitFor(async () => ((await queue.getJobCounts("delayed")).delayed === 3 ? true : undefined), {
      what: "the two failed jobs waiting for their retry, and the delayed one",
    });
    await worker.close();
    // The poison job is the oldest, but nothing says it will ever land: the outage retry is the backlog.
    expect(await oldestPendingJobAt(queue)).toBe(now - 50_000);
    await queue.add("fresh", {}, { timestamp: now - 70_000 });
    expect(await oldestPendingJobAt(queue)).toBe(now - 70_000);
  });

  it("is null for an empty queue and for one holding only retries that cannot land soon", async () => {
    expect(await oldestPendingJobAt(queue)).toBeNull();
    await queue.add("poison", {}, { attempts: 5, backoff: { type: "fixed", delay: 3_600_000 } });
    const worker = new Worker(
      "backlog-test",
      async () => Promise.reject(new Error("1 of 1 event(s) failed on their own: boom")),
      { connection: redis, prefix: env.redisPrefix },
    );
    await waitFor(async () => ((await queue.getJobCounts("delayed")).delayed === 1 ? true : undefined), {
      what: "the retry",
    });
    await worker.close();
    expect(await oldestPendingJobAt(queue)).toBeNull();
  });
});
