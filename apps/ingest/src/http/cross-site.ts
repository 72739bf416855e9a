import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Refusal, sendRefusal } from "./auth";
import { parseHost } from "./host-header";
import { isOpenRoute } from "./open-routes";

/**
 * Why a request comes from a web page of another origin, or null when it does not.
 *
 * Agents, the CLI, OTLP exporters and the dashboard's server send neither `Origin` nor
 * `Sec-Fetch-Site` (Node's fetch sends `Sec-Fetch-Mode: cors`, which is why the mode is not a sign).
 * A browser sends `Sec-Fetch-Site` to trustworthy origins (loopback, https) and `Origin` on every
 * POST/PUT/DELETE, `no-cors` and `text/plain` "simple" requests included; the only pages that may
 * call ingest from a browser are its own (the queue board), which are same-origin.
 */
export function crossSiteReason(headers: FastifyRequest["headers"]): string | null {
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  const origin = headers.origin;
  if (origin === undefined) return null;
  let originHost: string | undefined;
  try {
    originHost = parseHost(new URL(origin).host)?.host;
  } catch {
    // "null" (sandboxed frames, file:, data:) and garbage: no origin we could be.
  }
  const ownHost = parseHost(headers.host)?.host;
  if (originHost === undefined || ownHost === undefined || originHost !== ownHost)
    return `Origin: ${origin.slice(0, 100)}`;
  return null;
}

/**
 * Refuses a browser's cross-site request on every route but the health checks, before its body is
 * read, whatever its method: ingest serves no page to other sites, so nothing legitimate is lost,
 * and a `fetch(…, {mode: "no-cors"})` from any page can no longer post events, close sessions or
 * press the queue board's buttons.
 */
export function installCrossSiteCheck(fastify: FastifyInstance): void {
  fastify.addHook("onRequest", async (request, reply) => {
    if (isOpenRoute(request)) return;
    const reason = crossSiteReason(request.headers);
    if (reason === null) return;
    const refusal: Refusal = {
      status: 403,
      headers: {},
      body: {
        error: "cross_site",
        message: `a request from another site's page is refused (${reason}); agents and scripts send no Origin`,
      },
    };
    return sendRefusal(reply, refusal);
  });
}
