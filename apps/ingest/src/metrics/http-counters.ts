import { API_ROUTES } from "@pulse/core/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Counter, type Registry } from "prom-client";

/** The routes that take agents' events (tag `ingest`): a 2xx there means the events are queued. */
const INGEST_ROUTES = new Set(API_ROUTES.filter((r) => r.tag === "ingest").map((r) => `${r.method} ${r.path}`));
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);

/**
 * A request's route as a bounded label: the pattern Fastify matched (`/v1/sessions/:id`, never the
 * id itself), or "unmatched"; the method likewise, "other" for one no route knows.
 */
export function routeLabels(request: Pick<FastifyRequest, "method" | "routeOptions">): {
  method: string;
  route: string;
} {
  const route = request.routeOptions.url;
  const method = METHODS.has(request.method) ? request.method : "other";
  return { method, route: route ?? "unmatched" };
}

/** Counters of what this ingest process answered: Prometheus sums them over instances. */
export function httpCounters(registry: Registry) {
  const registers = [registry];
  const acceptedRequests = new Counter({
    name: "pulse_ingest_accepted_requests_total",
    help: "Requests whose events this ingest process accepted (2xx: queued in Redis), by route",
    labelNames: ["route"],
    registers,
  });
  const acceptedEvents = new Counter({
    name: "pulse_ingest_accepted_events_total",
    help: "Events this ingest process put on the events queue (a request may carry many)",
    registers,
  });
  const refused = new Counter({
    name: "pulse_ingest_refused_requests_total",
    help: "Requests this ingest process refused (4xx: bad input, no token, wrong Host, another site), by route and status",
    labelNames: ["method", "route", "status"],
    registers,
  });
  const unavailable = new Counter({
    name: "pulse_ingest_unavailable_requests_total",
    help: "Requests this ingest process answered 503 (Redis or Postgres unavailable), by route",
    labelNames: ["method", "route"],
    registers,
  });
  // Present from the first scrape, so a rate is 0 rather than absent before the first event.
  acceptedEvents.inc(0);
  for (const route of INGEST_ROUTES) acceptedRequests.inc({ route: route.split(" ")[1] }, 0);

  return {
    /** Counts every answer, the refusals of the Host, cross-site and token checks included (they answer in onRequest). */
    install(fastify: FastifyInstance): void {
      fastify.addHook("onResponse", async (request, reply) => {
        const status = reply.statusCode;
        const { method, route } = routeLabels(request);
        if (status >= 200 && status < 300 && INGEST_ROUTES.has(`${method} ${route}`)) acceptedRequests.inc({ route });
        else if (status >= 400 && status < 500) refused.inc({ method, route, status: String(status) });
        else if (status === 503) unavailable.inc({ method, route });
      });
    },
    countAcceptedEvents(n: number): void {
      acceptedEvents.inc(n);
    },
  };
}
