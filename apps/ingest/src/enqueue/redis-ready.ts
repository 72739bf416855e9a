import type { Redis } from "ioredis";

/**
 * Resolves true once the connection is ready, false if it is not within `timeoutMs`. A connection
 * still being set up (right after boot, or reconnecting after a blip) gets a moment; one that is
 * down does not hold a request for longer than that.
 */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return Promise.resolve(true);
  if (redis.status === "end" || redis.status === "close") return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once("ready", onReady);
  });
}
