import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ClientConfig } from "../env/client-config";
import { rejectedDir, spoolDir } from "../env/paths";
import { drainSpool } from "./drain";
import { openBreaker, tripIfUnresponsive } from "./ingest-breaker";
import { sendRecord } from "./send-record";
import { type SpoolRecord, writeSpoolRecord } from "./spool-files";

export interface SpoolDelivery {
  delivered: boolean;
  /** Why it was not delivered (it stays spooled unless spoolError is set too). */
  failure: string | null;
  /** The spool could not be written (full disk…): the event was only tried directly. */
  spoolError: string | null;
}

/**
 * Spools an event, then delivers the spool (oldest first) within `budgetMs`. When the spool cannot be
 * written, the event is sent directly: it is lost only if that fails too. While ingest is known not to
 * answer (the breaker, see ingest-breaker.ts) a spooled event is left to the watchers at once.
 */
export async function spoolAndDeliver(
  home: string,
  config: ClientConfig,
  record: SpoolRecord,
  budgetMs: number,
): Promise<SpoolDelivery> {
  const dir = spoolDir(home);
  const deadline = Date.now() + budgetMs;
  const send = (r: SpoolRecord, until: number) => sendRecord(config, r, until, Math.min(budgetMs, 5000));
  let name: string | null = null;
  let spoolError: string | null = null;
  try {
    name = writeSpoolRecord(dir, record);
  } catch (error) {
    spoolError = (error as Error).message;
  }
  const paused = name ? openBreaker(dir, config.url) : null;
  if (paused)
    return {
      delivered: false,
      failure: `${paused.reason}; not tried again until ${new Date(paused.until).toISOString()}`,
      spoolError,
    };
  const result = await drainSpool(dir, rejectedDir(home), send, deadline);
  tripIfUnresponsive(dir, config.url, result);
  if (name) {
    const delivered = !existsSync(join(dir, name));
    return {
      delivered,
      failure: delivered
        ? null
        : (result.failure ?? (result.busy ? "another pulse process is delivering the spool" : "out of time")),
      spoolError,
    };
  }
  const outcome = await send(record, deadline);
  return { delivered: outcome.kind === "sent", failure: outcome.kind === "sent" ? null : outcome.reason, spoolError };
}
