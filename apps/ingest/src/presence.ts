import { markIngestUp, PRESENCE_REFRESH_MS } from "@pulse/queues";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * Keeps "ingest is up" alive in Redis while this process serves (lifecycle rule 9: the reaper does
 * not judge silence that overlaps Pulse's own downtime). Returns the function that stops it.
 */
export function startPresence(redis: Redis, key: string, now: () => number, logger: Logger): () => void {
  let failing = false;
  const mark = () =>
    markIngestUp(redis, key, now()).then(
      () => {
        if (failing) logger.info("ingest presence recorded again");
        failing = false;
      },
      (err: Error) => {
        // Once per outage, not every tick: Redis being down is logged elsewhere too.
        if (!failing) logger.warn({ err: err.message }, "could not record that ingest is up");
        failing = true;
      },
    );
  void mark();
  const timer = setInterval(() => void mark(), PRESENCE_REFRESH_MS);
  timer.unref();
  return () => clearInterval(timer);
}
