import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isOpenRoute } from "./open-routes";

const digest = (text: string) => createHash("sha256").update(text).digest();

export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: { error: string; message: string };
}

export type TokenCheck = (request: FastifyRequest) => Refusal | null;

/**
 * With PULSE_TOKEN set, every request needs `Authorization: Bearer <token>` unless Fastify matched it
 * to one of the open routes. Deny by default: the decision is taken on the route the router chose
 * (after it decoded `%XX`, collapsed nothing, matched or not), never on the text of the URL, so no
 * spelling of a path can reach a route without the token; an unmatched path is refused too, which
 * tells a stranger nothing about which routes exist. Both sides are hashed first so the comparison
 * is constant-time whatever the lengths. Returns null when the token is unset.
 */
export function createTokenCheck(token: string | undefined): TokenCheck | null {
  if (!token) return null;
  const expected = digest(token);
  return (request) => {
    if (isOpenRoute(request)) return null;
    const presented = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1].trim() ?? null;
    if (presented !== null && timingSafeEqual(digest(presented), expected)) return null;
    return {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="pulse"' },
      body: {
        error: "unauthorized",
        message: presented !== null ? "the token is not valid" : "missing Authorization: Bearer <token> header",
      },
    };
  };
}

export const sendRefusal = (reply: FastifyReply, refusal: Refusal) =>
  reply.status(refusal.status).headers(refusal.headers).send(refusal.body);

/** Checks the token before the body is even read. */
export function installTokenCheck(fastify: FastifyInstance, check: TokenCheck | null): void {
  if (!check) return;
  fastify.addHook("onRequest", async (request, reply) => {
    const refusal = check(request);
    // Answered here rather than thrown: the queue board's routes are not Nest's, so Nest's error
    // filter would not see the error.
    if (refusal) return sendRefusal(reply, refusal);
  });
}
