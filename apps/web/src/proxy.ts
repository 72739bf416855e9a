import { type NextRequest, NextResponse } from "next/server";
import { isLoopbackHost, isValidSessionCookie, SESSION_COOKIE } from "./lib/auth";
import { webEnv } from "./lib/env";
import { isLocalPeer, PEER_HEADER } from "./lib/peer-address";

/** Reachable without logging in: the health check, and the login form itself. */
const PUBLIC_PATHS = new Set(["/api/health", "/login", "/api/login"]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A browser's cross-site POST (CSRF) carries another site's Origin, and to a trustworthy origin
 * (loopback, https) `Sec-Fetch-Site: cross-site` or `same-site` (another port of this host, such as
 * ingest's queue board): refuse it. The dashboard's own pages are same-origin; scripts send neither.
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
  if (path === "/api/health") return NextResponse.next();
  if (!SAFE_METHODS.has(request.method) && isCrossSite(request)) {
    return NextResponse.json({ error: "cross_site", message: "a request from another site's page is refused" }, { status: 403 });
  }
  const { PULSE_TOKEN, PULSE_LOCAL_PEERS } = webEnv();
  if (!PULSE_TOKEN) {
    if (isLocalPeer(request.headers.get(PEER_HEADER), PULSE_LOCAL_PEERS) && isLoopbackHost(request.headers.get("host"))) return NextResponse.next();
    return new NextResponse(
      "Pulse runs without PULSE_TOKEN, so it answers only connections from this machine addressed to localhost (open http://localhost:…).\nSet PULSE_TOKEN to reach the dashboard from another machine.\n",
      { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  if (PUBLIC_PATHS.has(path)) return NextResponse.next();
  if (isValidSessionCookie(request.cookies.get(SESSION_COOKIE)?.value, PULSE_TOKEN)) return NextResponse.next();
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
