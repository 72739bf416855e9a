import { isIP } from "node:net";
import type { FastifyInstance } from "fastify";
import { sendRefusal } from "./auth";
import { parseHost } from "./host-header";
import { isOpenRoute } from "./open-routes";

/** Names only this machine's own resolver answers, whatever a DNS server says. */
export function isLoopbackName(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    (isIP(hostname) === 4 && hostname.startsWith("127."))
  );
}

/** Whether HOST (what ingest listens on) is reachable only from this machine. */
export function isLoopbackBind(host: string): boolean {
  const parsed = parseHost(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  return parsed !== null && isLoopbackName(parsed.hostname);
}

export interface HostPolicy {
  token: string | undefined;
  bind: string;
  /** PULSE_ALLOWED_HOSTS: names accepted besides loopback ones. */
  allowedHosts: string[] | undefined;
}

/**
 * Whether the Host check is on: only without a token (with one, a rebound page still has no token),
 * and then when ingest listens on loopback or PULSE_ALLOWED_HOSTS names the hosts to accept. A
 * token-less ingest deliberately bound to 0.0.0.0 is the operator's open choice; say so with hosts.
 */
export function hostCheckActive(policy: HostPolicy): boolean {
  return !policy.token && (policy.allowedHosts !== undefined || isLoopbackBind(policy.bind));
}

/**
 * Defeats DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1 reaches
 * ingest with `Host: evil.example`, same-origin to itself, and could read every prompt. Ingest
 * answers only the names it is known by: loopback names and PULSE_ALLOWED_HOSTS.
 */
export function installHostCheck(fastify: FastifyInstance, policy: HostPolicy): void {
  if (!hostCheckActive(policy)) return;
  const allowed = new Set(
    (policy.allowedHosts ?? [])
      .map((name) => parseHost(name)?.hostname)
      .filter((name): name is string => name !== undefined),
  );
  fastify.addHook("onRequest", async (request, reply) => {
    if (isOpenRoute(request)) return;
    const hostname = parseHost(request.headers.host)?.hostname;
    if (hostname !== undefined && (isLoopbackName(hostname) || allowed.has(hostname))) return;
    return sendRefusal(reply, {
      status: 403,
      headers: {},
      body: {
        error: "host_not_allowed",
        message:
          "this ingest has no PULSE_TOKEN and answers only requests addressed to localhost or a name in PULSE_ALLOWED_HOSTS",
      },
    });
  });
}
