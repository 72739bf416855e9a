import { webEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Request headers worth forwarding to ingest's Bull Board; the rest (cookies, hop-by-hop) stay here. */
const FORWARDED_REQUEST_HEADERS = ["accept", "content-type", "if-none-match", "if-modified-since"];
const FORWARDED_RESPONSE_HEADERS = ["content-type", "cache-control", "etag", "last-modified", "location"];

/**
 * Bull Board lives on ingest at /queues, behind PULSE_TOKEN. A browser cannot add a bearer header to
 * a link, so the dashboard serves the board at its own /queues (behind the dashboard's login) and
 * forwards each request to ingest with the token.
 */
async function forward(request: Request): Promise<Response> {
  const { INGEST_URL, PULSE_TOKEN } = webEnv();
  const incoming = new URL(request.url);
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  if (PULSE_TOKEN) headers.set("authorization", `Bearer ${PULSE_TOKEN}`);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await fetch(`${INGEST_URL}${incoming.pathname}${incoming.search}`, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const message = `cannot reach the ingest API at ${INGEST_URL} for the queue board (${(error as Error).message})`;
    return Response.json({ error: "ingest_unreachable", message }, { status: 502 });
  }
  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (!value) continue;
    // A redirect to ingest's own address becomes one to the same path here.
    out.set(name, name === "location" && value.startsWith(INGEST_URL) ? value.slice(INGEST_URL.length) || "/" : value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
