import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Paths that need the token when PULSE_TOKEN is set. Health checks stay open for orchestrators. */
export const PROTECTED_PREFIXES = ["/v1/", "/queues"];

/**
 * Checks `Authorization: Bearer <token>` before the body is even read. Both sides are hashed first so
 * the comparison is constant-time whatever the lengths.
 */
export function installTokenCheck(fastify: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = digest(token);
  fastify.addHook("onRequest", async (request) => {
    const path = request.url.split("?")[0];
    if (!PROTECTED_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix))) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) {
      throw new ApiError(401, "unauthorized", match ? "the token is not valid" : "missing Authorization: Bearer <token> header", {
        "www-authenticate": 'Bearer realm="pulse"',
      });
    }
  });
}
