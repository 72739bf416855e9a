import { createHash, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { parseEventTime } from "@pulse/core";
import type { FastifyRequest } from "fastify";
import { badRequest } from "./api-error";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const THIS_HOST = hostname();

export interface Delivery {
  receivedMs: number;
  /** X-Pulse-Event-Time: when the event happened, stamped by the sender. */
  stampedMs?: number;
  /** Idempotency-Key header. */
  key?: string;
  host: string | null;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the delivery headers; a malformed one is a 400 that names it. */
export function readDelivery(request: FastifyRequest, receivedMs: number): Delivery {
  const delivery: Delivery = { receivedMs, host: null };
  const time = header(request, "x-pulse-event-time");
  if (time !== undefined) {
    const parsed = parseEventTime(time);
    if (!parsed.ok) throw badRequest(`X-Pulse-Event-Time: ${parsed.message}`);
    delivery.stampedMs = parsed.ms;
  }
  const key = header(request, "idempotency-key")?.trim();
  if (key !== undefined && key !== "") {
    if (key.length > 200) throw badRequest("Idempotency-Key: must be at most 200 characters");
    // A header may carry a tab (the one control character HTTP allows in a value): no key may.
    if (/[\u0000-\u001f\u007f]/.test(key)) throw badRequest("Idempotency-Key: must not contain control characters");
    delivery.key = key;
  }
  const host = header(request, "x-pulse-host")?.trim();
  // Without a header, an event from this machine is from this host; otherwise name the sender.
  delivery.host = host ? host.slice(0, 255) : LOOPBACK.test(request.ip) ? THIS_HOST : request.ip;
  return delivery;
}

/**
 * The idempotency key of an event that came without one. A client-stamped time makes a resent copy
 * recognisable (same content, same time), so the key is a hash of both; otherwise every delivery is
 * a new event.
 */
export function fallbackKey(content: unknown, stampedMs: number | undefined): string {
  if (stampedMs === undefined) return randomUUID();
  return (
    "h-" +
    createHash("sha256")
      .update(`${stampedMs}\u0000${JSON.stringify(content)}`)
      .digest("base64url")
      .slice(0, 32)
  );
}
