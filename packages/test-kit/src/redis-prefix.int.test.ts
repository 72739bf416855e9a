import { Redis } from "ioredis";
import { deleteKeysWithPrefix } from "./redis-prefix";
import { uniqueId } from "./unique-id";

// Shared Redis: the test's keys live under a prefix of its own, and it checks that neighbours whose
// names merely start the same way survive.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `pulse-test-kit-${uniqueId("prefix")}`;
let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis.del(`${prefix}x:kept`, `${prefix}-other:kept`, prefix);
  redis.disconnect();
});

it("deletes every key under `prefix:` (more than one SCAN page) and none beside it", async () => {
  const mine = Array.from({ length: 2500 }, (_, i) => `${prefix}:events:${i}`);
  await redis.mset(...mine.flatMap((k) => [k, "1"]));
  await redis.mset(`${prefix}x:kept`, "1", `${prefix}-other:kept`, "1", prefix, "1");
  expect(await deleteKeysWithPrefix(REDIS_URL, prefix)).toBe(2500);
  expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  expect(await redis.exists(`${prefix}x:kept`, `${prefix}-other:kept`, prefix)).toBe(3);
});

it("refuses an empty prefix, which would match every key", async () => {
  await expect(deleteKeysWithPrefix(REDIS_URL, "")).rejects.toThrow(/needs a prefix/);
});
