import { type NextRequest, NextResponse } from "next/server";
import { isLoopbackHost, isValidLoginCookie, LOGIN_COOKIE } from "./lib/auth";
import { BAD_TARGET_HEADER } from "./lib/bad-target";
import { webEnv } from "./lib/env";
import { isLocalPeer, PEER_HEADER } from "./lib/peer-address";

/** Reachable without logging in: the health check, and the login form itself. */
const PUBLIC_PATHS = new Set(["/api/health", "/login", "/api/login"]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Pages Next builds for itself that no one should request by name. */
const INTERNAL_PAGES = new Set(["/_global-error", "/_error"]);

/**
 * Lets an allowed request through, unless Next would answer it with a 500 of its own. Checked only
 * once the request is allowed, so a stranger learns nothing more than before (401 / the login).
 * - A path that is not valid percent-encoding (`/sessions/%ff`, `/api/sessions/%/close`): Next fails
 *   decoding it into route parameters.
 * - A POST (or PUT…) to a page: Next reads it as a server action, which Pulse has none of, and some
 *   (`rsc: 1`) fail inside Next. Pages are only ever read; writes go to /api and /queues.
 */
function pass(request: NextRequest): NextResponse {
  const path = request.nextUrl.pathname;
  if (!decodesAsUtf8(path)) {
    return NextResponse.json(
      { error: "invalid_request", message: "the path is not valid percent-encoded UTF-8" },
      { status: 400 },
    );
  }
  if (!SAFE_METHODS.has(request.method) && !path.startsWith("/api/") && !path.startsWith("/queues")) {
    return NextResponse.json(
      { error: "method_not_allowed", message: `${request.method} is not allowed on a page; pages are read with GET` },
      { status: 405, headers: { allow: "GET, HEAD" } },
    );
  }
  return NextResponse.next();
}

function decodesAsUtf8(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A browser's cross-site request (CSRF, or a read of the API) carries another site's Origin, and
 * to a trustworthy origin (loopback, https) `Sec-Fetch-Site: cross-site` or `same-site` (another
 * port of this host, such as ingest's queue board): refuse it. The dashboard's own pages are
 * same-origin; scripts send neither.
 */
function isCrossSite(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  const hosts = [request.headers.get("host"), request.headers.get("x-forwarded-host")];
  return !hosts.includes(originHost);
}

/**
 * Who may see the dashboard. With PULSE_TOKEN set: whoever logged in with it (httpOnly cookie).
 * Without: only a browser on this machine — the connection must come from a loopback address (the
 * socket's, tagged by the server: a Host header is the client's to choose), and the request must name
 * a loopback host, which also stops a web page from reaching the dashboard by DNS rebinding.
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (request.headers.has(BAD_TARGET_HEADER))
    return NextResponse.json(
      { error: "invalid_request", message: "the request target is not a path" },
      { status: 400 },
    );
  if (path === "/api/health") return NextResponse.next();
  // Next's own error page, reachable by its name: it renders and answers 500 by design.
  if (INTERNAL_PAGES.has(path))
    return new NextResponse("Not Found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  // Writes anywhere, and reads of the API (JSON, the live stream) whatever the method: the API is
  // only ever called by the dashboard's own pages. Pages stay reachable from links on other sites.
  const api = path.startsWith("/api/") || path.startsWith("/queues/api/");
  if ((!SAFE_METHODS.has(request.method) || api) && isCrossSite(request)) {
    return NextResponse.json(
      { error: "cross_site", message: "a request from another site's page is refused" },
      { status: 403 },
    );
  }
  const { PULSE_TOKEN, PULSE_LOCAL_PEERS } = webEnv();
  if (!PULSE_TOKEN) {
    if (isLocalPeer(request.headers.get(PEER_HEADER), PULSE_LOCAL_PEERS) && isLoopbackHost(request.headers.get("host")))
      return pass(request);
    return new NextResponse(
      "Pulse runs without PULSE_TOKEN, so it answers only connections from this machine addressed to localhost (open http://localhost:…).\nSet PULSE_TOKEN to reach the dashboard from another machine.\n",
      { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  if (PUBLIC_PATHS.has(path)) return pass(request);
  if (isValidLoginCookie(request.cookies.get(LOGIN_COOKIE)?.value, PULSE_TOKEN)) return pass(request);
  if (path.startsWith("/api/") || path.startsWith("/queues")) {
    return NextResponse.json({ error: "unauthorized", message: "log in to the dashboard first" }, { status: 401 });
  }
  const login = new URL("/login", request.url);
  login.searchParams.set("next", path + request.nextUrl.search);
  return NextResponse.redirect(login, 303);
}

export const config = {
  // Everything but the framework's static assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
