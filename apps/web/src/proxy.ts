import { type NextRequest, NextResponse } from "next/server";
import { isLoopbackHost, isValidSessionCookie, SESSION_COOKIE } from "./lib/auth";
import { webEnv } from "./lib/env";

/** Reachable without logging in: the health check, and the login form itself. */
const PUBLIC_PATHS = new Set(["/api/health", "/login", "/api/login"]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A browser's cross-site POST (CSRF) carries another site's Origin: refuse it. */
function isCrossSite(request: NextRequest): boolean {
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
 * Without: only a browser on this machine — requests must name a loopback host, which also stops a
 * web page from reaching the dashboard by DNS rebinding.
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (path === "/api/health") return NextResponse.next();
  if (!SAFE_METHODS.has(request.method) && isCrossSite(request)) {
    return NextResponse.json({ error: "forbidden", message: "cross-site request refused" }, { status: 403 });
  }
  const { PULSE_TOKEN } = webEnv();
  if (!PULSE_TOKEN) {
    if (isLoopbackHost(request.headers.get("host"))) return NextResponse.next();
    return new NextResponse(
      "Pulse runs without PULSE_TOKEN, so it answers only on loopback (open http://localhost:…).\nSet PULSE_TOKEN to reach the dashboard from another machine.\n",
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
