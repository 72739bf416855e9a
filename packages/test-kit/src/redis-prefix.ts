import { Redis } from "ioredis";

/**
 * Deletes every key under `prefix:` (a test's or a benchmark's own prefix), and nothing else: SCAN in
 * pages rather than KEYS, so a shared Redis is never blocked. Returns how many keys went.
 */
export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error("deleteKeysWithPrefix needs a prefix: an empty one would match every key");
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}
