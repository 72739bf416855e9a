import type { Server, ServerResponse } from "node:http";

/**
 * How long a client may take to send a request. Node's defaults let a request whose body never
 * finishes hold its connection forever (Fastify's `requestTimeout` 0) and one whose headers never
 * finish for a minute; every such connection costs a socket and a parser. Agents' hooks send a few KB
 * at once and OTLP exporters at most 1 MiB, so these leave any real client plenty. Past them Node
 * answers 408 (JSON, by Fastify's client-error handler) and closes.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 20_000;
/** How often Node looks for requests past those timeouts (its default, 30 s, would add up to that). */
const CHECK_INTERVAL_MS = 1_000;

/** Fastify options (passed through NestJS's FastifyAdapter) that apply the timeouts above. */
export const SERVER_TIMEOUTS = {
  requestTimeout: REQUEST_TIMEOUT_MS,
  http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CHECK_INTERVAL_MS },
} as const;

/**
 * `Expect` with anything but `100-continue` is refused by Node itself with a bare 417 that no route
 * sees. Refused here instead, in the API's `{error, message}` shape.
 */
export function answerUnknownExpectations(server: Server): void {
  server.on("checkExpectation", (_request, response: ServerResponse) => {
    const body = JSON.stringify({
      error: "expectation_failed",
      message: "Expect: only 100-continue is supported; send the request without this header",
    });
    response.writeHead(417, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    response.end(body);
  });
}
