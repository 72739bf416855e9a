import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { BAD_TARGET_HEADER } from "./bad-target";

/**
 * How long a client may take to send a request, and stay silent on a connection. `next start`
 * keeps Node's defaults: 60 s for headers, 300 s for a body that never finishes, and no limit at all
 * for a connection that stops sending, or that asked to upgrade (`Upgrade: h2c`): Next takes the
 * upgrade and never answers, holding the socket open. Dashboard tabs keep their live stream busy
 * (a heartbeat every 15 s), so a connection silent for 30 s is a dead one.
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 20_000;
const SILENT_SOCKET_MS = 30_000;

interface RequestStart {
  request: IncomingMessage;
  server: Server;
}

let installed = false;
const tuned = new WeakSet<Server>();

/**
 * Applies the limits above to the server `next start` creates (it offers no options for them), from
 * Node's diagnostics channels, which fire in the process that owns the sockets before Next sees
 * anything: every accepted socket gets the silence limit, and the server its request timeouts the
 * first time it is seen (Node looks for requests past them every 30 s, so a hanging request ends
 * within their sum). A request target Next's router cannot parse (`OPTIONS *`, the asterisk form)
 * failed inside Next with a 500 before any of Pulse's code ran: it is pointed at `/` and marked, and
 * the proxy refuses it.
 */
export function limitServer(): void {
  if (installed) return;
  installed = true;
  subscribe("net.server.socket", (message) => {
    const { socket } = message as { socket: Socket };
    socket.setTimeout(SILENT_SOCKET_MS, () => socket.destroy());
  });
  subscribe("http.server.request.start", (message) => {
    const { request, server } = message as RequestStart;
    if (!tuned.has(server)) {
      tuned.add(server);
      server.headersTimeout = HEADERS_TIMEOUT_MS;
      server.requestTimeout = REQUEST_TIMEOUT_MS;
    }
    // Overwritten on every request: a client cannot mark its own (it would only get a 400).
    delete request.headers[BAD_TARGET_HEADER];
    if (!request.url?.startsWith("/") && !/^https?:\/\//i.test(request.url ?? "")) {
      request.headers[BAD_TARGET_HEADER] = "1";
      request.url = "/";
    }
  });
}
