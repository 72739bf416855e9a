import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Paths that need the token when PULSE_TOKEN is set. Health checks stay open for orchestrators. */
export const PROTECTED_PREFIXES = ["/v1/", "/queues"];

/** The dashboard's login cookie; accepted too, so a logged-in browser can open the queue board. */
export const TOKEN_COOKIE = "pulse_token";

function tokenFromCookie(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === TOKEN_COOKIE) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Checks `Authorization: Bearer <token>` (or the dashboard's cookie) before the body is even read. Both sides are hashed first so
 * the comparison is constant-time whatever the lengths.
 */
export function installTokenCheck(fastify: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = digest(token);
  fastify.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0];
    if (!PROTECTED_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix))) return;
    const header = request.headers.authorization ?? "";
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1].trim() ?? tokenFromCookie(request.headers.cookie);
    if (presented === null || !timingSafeEqual(digest(presented), expected)) {
      // Answered here rather than thrown: the queue board's routes are not Nest's, so Nest's error
      // filter would not see the error.
      return reply
        .status(401)
        .header("www-authenticate", 'Bearer realm="pulse"')
        .send({ error: "unauthorized", message: presented !== null ? "the token is not valid" : "missing Authorization: Bearer <token> header" });
    }
  });
}
