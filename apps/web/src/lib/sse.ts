/** Server-sent events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html). */

/** Interval of the stream's heartbeat: proxies keep the connection open, clients notice a dead one. */
export const HEARTBEAT_MS = 15_000;

/** How long the browser waits before reconnecting by itself after a drop. */
export const RETRY_MS = 1_000;

/** One event; `data` may hold newlines (each line becomes its own `data:` field). */
export function sseEvent(event: string, data: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`);
  return `event: ${event}\n${lines.join("\n")}\n\n`;
}

export const sseRetry = (ms: number) => `retry: ${ms}\n\n`;
