import type { FastifyInstance } from "fastify";

/** Bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Agents and scripts post JSON with whatever content type their HTTP tool picks (`curl -d` says
 * form-urlencoded, some send none): every body is parsed as JSON, and failing that refused with 400.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", { parseAs: "string", bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    const text = String(body);
    // No body at all: the route decides (ours answer 400 "the body must be …"; the queue board's
    // action buttons send none).
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(Object.assign(new Error(`the body is not valid JSON: ${(error as Error).message}`), { statusCode: 400, code: "FST_ERR_CTP_INVALID_JSON_BODY" }), undefined);
    }
  });
}
