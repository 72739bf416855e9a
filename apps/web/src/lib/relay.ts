import { IngestError } from "./ingest";

/**
 * Answers a browser's /api request with what ingest said, in the API's error shape. Ingest being
 * down is a 502 with a message the dashboard shows in its banner, never a crash.
 */
export async function relay(call: () => Promise<unknown>, status = 200): Promise<Response> {
  try {
    return Response.json(await call(), { status, headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof IngestError) {
      // Ingest down, or refusing the dashboard's own token: a gateway problem, not the browser's (a 401
      // here would send the viewer to the login form for nothing).
      const status = error.status === 0 || error.status === 401 ? 502 : error.status;
      return Response.json({ error: error.code, message: error.message }, { status });
    }
    console.error("pulse-web: unexpected error while calling ingest", error);
    return Response.json({ error: "internal", message: "the dashboard server failed; see its log" }, { status: 500 });
  }
}
