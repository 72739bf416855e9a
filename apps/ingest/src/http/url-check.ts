import type { FastifyInstance } from "fastify";

/** `%00` (any case): the one way a NUL reaches a decoded path parameter or query value. */
const ENCODED_NUL = /%00/i;

/**
 * U+0000 cannot be stored in, or compared with, Postgres text: a session id or a search term holding
 * one failed the query (22021) and answered 500. No name Pulse stores can contain it (ids refuse
 * control characters, other text is repaired before it is stored), so a URL that decodes to one can
 * only be refused: 400, before any route runs (Nest's and the queue board's alike). Runs after the
 * token check, so a stranger learns nothing from it.
 */
export function installUrlCheck(fastify: FastifyInstance): void {
  fastify.addHook("onRequest", async (request, reply) => {
    if (ENCODED_NUL.test(request.url))
      return reply.status(400).send({ error: "invalid_request", message: "the URL must not contain %00 (NUL)" });
  });
}
