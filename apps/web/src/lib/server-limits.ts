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
 * the proxy refuses it. An absolute-form target (`GET http://host/path`) is made the path it names.
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
    const target = toOriginForm(request.url ?? "");
    if (target === null) {
      request.headers[BAD_TARGET_HEADER] = "1";
      request.url = "/";
    } else if (target.host !== undefined) {
      request.url = target.url;
      request.headers.host = target.host;
    }
  });
}

/**
 * The request target as a path (origin form), or null when it is not one Next can route.
 * An absolute-form target (`GET http://evil.example/x HTTP/1.1`, what clients send to proxies) is
 * valid HTTP, and Next answered it with a 308 to exactly that URL: a redirect to any site, for
 * whoever can make a client send one. HTTP says an origin server takes such a target's authority
 * as the Host (RFC 9112, 3.2.2), so it becomes the path plus that Host, and every later check (the
 * loopback Host check, the login) judges the host it names.
 */
export function toOriginForm(target: string): { url: string; host?: string } | null {
  if (target.startsWith("/")) return { url: target };
  if (!/^https?:\/\//i.test(target)) return null;
  try {
    const url = new URL(target);
    return { url: `${url.pathname}${url.search}`, host: url.host };
  } catch {
    return null;
  }
}
