import { subscribe } from "node:diagnostics_channel";
import type { Server } from "node:http";
import { sessionFeed } from "./session-feed";

/** How often, while stopping, connections that went idle are closed. */
const SWEEP_MS = 50;

let installed = false;

/**
 * `next start` closes its HTTP server on SIGTERM/SIGINT and exits once every connection is gone. A
 * dashboard tab's live stream (/api/stream) never ends by itself, so with one tab open the server
 * waited ~55 s, past `npm start`'s and Docker's patience, and was killed. On the signal: every stream
 * ends and no new one starts (session-feed.ts), and each connection is closed as soon as it is idle,
 * so a keep-alive socket the browser would reuse cannot hold the server either. Requests in flight
 * finish. The servers are found through Node's `http.server.request.start` channel, as
 * tag-peer-address.ts finds sockets: `next start` owns its server.
 */
export function endStreamsOnShutdown(): void {
  // Next handles no signal then, and a listener here would only stop the default exit.
  if (installed || process.env.NEXT_MANUAL_SIG_HANDLE) return;
  installed = true;
  const servers = new Set<Server>();
  subscribe("http.server.request.start", (message) => {
    servers.add((message as { server: Server }).server);
  });
  const stop = () => {
    sessionFeed().close();
    const sweep = () => {
      for (const server of servers) server.closeIdleConnections();
    };
    sweep();
    setInterval(sweep, SWEEP_MS).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
