import type { ClientConfig } from "../env/client-config";
import { apiErrorMessage, httpRequest, TransportError } from "../transport/http-request";
import type { SendOutcome } from "./drain";
import type { SpoolRecord } from "./spool-files";

/** Longest wait for one delivery, whatever time is left. */
const MAX_REQUEST_MS = 800;

/**
 * A failure that took this long means ingest is not answering (hung, or waiting on Redis before a
 * 503). A request cut shorter by the caller's deadline proves nothing either way.
 */
const UNRESPONSIVE_MS = 300;
/** Statuses that may succeed later without the event changing: keep it spooled. */
const RETRYABLE_4XX = new Set([401, 403, 404, 408, 409, 425, 429]);

/** Delivers one spooled event with its original time and idempotency key. */
export async function sendRecord(
  config: ClientConfig,
  record: SpoolRecord,
  deadline: number,
  maxRequestMs = MAX_REQUEST_MS,
): Promise<SendOutcome> {
  const started = Date.now();
  const timeoutMs = Math.max(1, Math.min(maxRequestMs, deadline - started));
  const slow = () => Date.now() - started >= UNRESPONSIVE_MS;
  try {
    const response = await httpRequest(config, {
      method: "POST",
      path: record.path,
      body: record.body,
      headers: { "idempotency-key": record.key, "x-pulse-event-time": String(record.time) },
      timeoutMs,
    });
    if (response.status >= 200 && response.status < 300) return { kind: "sent" };
    const message = apiErrorMessage(response.body);
    if (response.status === 401) return { kind: "failed", reason: `ingest refused the token (401: ${message})` };
    if (response.status >= 500 || RETRYABLE_4XX.has(response.status))
      return { kind: "failed", reason: `ingest answered ${response.status}: ${message}`, unresponsive: slow() };
    return { kind: "rejected", reason: `ingest refused the event (${response.status}: ${message})` };
  } catch (error) {
    const code = error instanceof TransportError ? error.code : "ERROR";
    return {
      kind: "failed",
      reason: `ingest unreachable at ${config.url} (${code})`,
      unresponsive: slow(),
      timedOut: code === "ETIMEDOUT",
    };
  }
}
