import { isValidToken, safeNextPath, LOGIN_COOKIE, LOGIN_MAX_AGE_S, loginCookieValue } from "@/lib/auth";
import { webEnv } from "@/lib/env";
import { loginAttempts } from "@/lib/login-attempts";
import { PEER_HEADER } from "@/lib/peer-address";

export const dynamic = "force-dynamic";

/** The login form posts here; a right token sets the httpOnly cookie, a wrong one goes back with an error. */
export async function POST(request: Request): Promise<Response> {
  const { PULSE_TOKEN } = webEnv();
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ error: "invalid_request", message: "expected a form with a token field" }, { status: 400 });
  }
  const next = safeNextPath(String(form.get("next") ?? "/"));
  const url = new URL(request.url);
  const redirect = (path: string) => new Response(null, { status: 303, headers: { location: path } });
  if (!PULSE_TOKEN) return redirect(next);
  // The socket's address, written by the server itself (tag-peer-address.ts), never the client's.
  const peer = request.headers.get(PEER_HEADER) ?? "";
  const wait = await loginAttempts.waitFor(peer);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60_000);
    return redirect(`/login?error=too_many&retry_minutes=${minutes}&next=${encodeURIComponent(next)}`);
  }
  const token = String(form.get("token") ?? "").trim();
  if (!token || !isValidToken(token, PULSE_TOKEN)) {
    // An empty form is no guess.
    if (token) await loginAttempts.failed(peer);
    return redirect(`/login?error=1&next=${encodeURIComponent(next)}`);
  }
  await loginAttempts.succeeded(peer);
  const secure = url.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const cookie = [
    `${LOGIN_COOKIE}=${loginCookieValue(PULSE_TOKEN)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${LOGIN_MAX_AGE_S}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
  const response = redirect(next);
  response.headers.append("set-cookie", cookie);
  return response;
}
