import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * httpOnly cookie that proves the browser was given PULSE_TOKEN once (login form). "Login", never
 * "session": a session is an agent's (glossary in DEVELOPERS.md).
 */
export const LOGIN_COOKIE = "pulse_login";
export const LOGIN_MAX_AGE_S = 30 * 24 * 3600;

/**
 * The cookie holds a value derived from the token, never the token itself: a copied cookie opens
 * the dashboard but does not reveal the token agents use to post events. Changing PULSE_TOKEN
 * invalidates every cookie.
 */
export function loginCookieValue(token: string): string {
  return createHmac("sha256", token).update("pulse-web-session-v1").digest("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function isValidLoginCookie(cookie: string | undefined, token: string): boolean {
  return cookie !== undefined && safeEqual(cookie, loginCookieValue(token));
}

export function isValidToken(candidate: string, token: string): boolean {
  // Compared as HMACs so the comparison is constant-time whatever the lengths.
  return safeEqual(loginCookieValue(candidate), loginCookieValue(token));
}

/** Host names that can only come from this machine's browser (also a guard against DNS rebinding). */
export function isLoopbackHost(hostHeader: string | null): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : hostHeader.split(":")[0];
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host) || host.endsWith(".localhost");
}

/** Stands for the dashboard's own origin when resolving `next`: only its path can come out. */
const OWN_ORIGIN = "http://pulse.invalid";

/**
 * A post-login destination that stays on this site ("/sessions/x"), never "//evil.example".
 * `next` is resolved the way a browser resolves a Location header (the WHATWG URL parser drops
 * tabs and newlines, reads "\\" as "/", ignores leading spaces), so "/\t/evil.example" is seen as
 * the "//evil.example" the browser would go to. Only a same-origin result is kept, and only as its
 * re-serialised path: percent-encoded, no raw control characters (a newline once made a 500), and
 * never starting with "//" (which a browser would read as another host).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next) return "/";
  let url: URL;
  try {
    url = new URL(next, OWN_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== OWN_ORIGIN || url.username || url.password) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}
