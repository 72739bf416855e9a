import type { Redis } from "ioredis";

/**
 * Whether the producer connection can take a write. A connection being set up (at boot, or
 * reconnecting after a blip) gets a short grace; once Redis has been down for longer than that, the
 * answer is "no" at once, so a client spools its event and moves on instead of waiting on every
 * request of an outage.
 */
export class RedisReadiness {
  private downSince: number | null;

  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {
    this.downSince = redis.status === "ready" ? null : now();
    redis.on("ready", () => {
      this.downSince = null;
    });
    for (const event of ["close", "end", "reconnecting", "error"]) {
      redis.on(event, () => {
        if (redis.status !== "ready") this.downSince ??= this.now();
      });
    }
  }

  async ready(graceMs: number): Promise<boolean> {
    if (this.redis.status === "ready") return true;
    const downFor = this.downSince === null ? 0 : this.now() - this.downSince;
    if (downFor >= graceMs || this.redis.status === "end") return false;
    return waitForReady(this.redis, graceMs - downFor);
  }
}

function waitForReady(redis: Redis, timeoutMs: number): Promise<boolean> {
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
