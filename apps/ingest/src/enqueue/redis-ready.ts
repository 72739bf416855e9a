import type { Redis } from "ioredis";

/** What a request does about a connection that may not be ready: go on, give up now, or wait this long for it. */
export type ReadinessVerdict = { ready: true } | { ready: false; waitMs: number };

/** Since when the connection has been down, once it reports `status` at `now` (null: it is up). */
export function downSinceAfter(downSince: number | null, status: Redis["status"], now: number): number | null {
  return status === "ready" ? null : (downSince ?? now);
}

/**
 * A connection down (or not up yet) for less than `graceMs` is waited for, for what is left of the
 * grace; past it, or ended for good, a request gives up at once (waitMs 0).
 */
export function readinessVerdict(
  status: Redis["status"],
  downSince: number | null,
  now: number,
  graceMs: number,
): ReadinessVerdict {
  if (status === "ready") return { ready: true };
  const downFor = downSince === null ? 0 : now - downSince;
  if (downFor >= graceMs || status === "end") return { ready: false, waitMs: 0 };
  return { ready: false, waitMs: graceMs - downFor };
}

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
    this.downSince = downSinceAfter(null, redis.status, now());
    for (const event of ["ready", "close", "end", "reconnecting", "error"]) {
      redis.on(event, () => {
        this.downSince = downSinceAfter(this.downSince, redis.status, this.now());
      });
    }
  }

  async ready(graceMs: number): Promise<boolean> {
    const verdict = readinessVerdict(this.redis.status, this.downSince, this.now(), graceMs);
    if (verdict.ready) return true;
    return verdict.waitMs > 0 && waitForReady(this.redis, verdict.waitMs);
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
