import type { FeedListener } from "@/lib/session-feed";
import { sessionFeed } from "@/lib/session-feed";
import { HEARTBEAT_MS, RETRY_MS, sseEvent, sseRetry } from "@/lib/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Live session changes as server-sent events:
 * - `ready`: the stream is being read. Sent on connect, after every Redis outage and after a gap:
 *   the client refetches then, so nothing published before (or while down) is missed.
 * - `session`: `{"type":"session","session":{…}}`, from the session-change stream (`<prefix>:session-changes`).
 * - `feed-down`: Redis is unreachable; changes are not arriving until the next `ready`.
 * - `heartbeat`: every 15 s, so the client can tell a silent connection from a dead one.
 */
export function GET(request: Request): Response {
  // The server is stopping (graceful-shutdown.ts): the client retries, on the next server.
  if (sessionFeed().isClosing)
    return Response.json(
      { error: "unavailable", message: "the dashboard is stopping" },
      { status: 503, headers: { "retry-after": "5" } },
    );
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const listener: FeedListener = {
        session: (json) => send(sseEvent("session", json)),
        status: (state, detail) =>
          send(
            state === "up"
              ? sseEvent("ready", JSON.stringify({ at: new Date().toISOString() }))
              : sseEvent("feed-down", JSON.stringify({ message: detail ?? "Redis is unreachable" })),
          ),
        end: () => stop(),
      };
      send(sseRetry(RETRY_MS));
      const removeListener = sessionFeed().add(listener);
      const heartbeat = setInterval(
        () => send(sseEvent("heartbeat", JSON.stringify({ at: new Date().toISOString() }))),
        HEARTBEAT_MS,
      );
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        removeListener();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      request.signal.addEventListener("abort", () => stop());
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx and similar proxies would otherwise buffer the stream.
      "x-accel-buffering": "no",
    },
  });
}
