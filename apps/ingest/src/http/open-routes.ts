import type { FastifyRequest } from "fastify";

/**
 * The only routes that need no token and skip the Host and cross-site checks: health checks, for
 * orchestrators and load balancers, which answer nothing about sessions.
 */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(["/healthz", "/readyz"]);

/** By the route Fastify matched (undefined for a 404), never by the request's URL text. */
export function isOpenRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && OPEN_ROUTES.has(route) && (request.method === "GET" || request.method === "HEAD");
}
