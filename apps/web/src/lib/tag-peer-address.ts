import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { PEER_HEADER } from "./peer-address";

interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

let installed = false;

/**
 * Writes each request's TCP peer address into PEER_HEADER before Next sees the request. Node
 * publishes `http.server.request.start` synchronously just before the server's "request" event, in
 * the process that owns the socket (`next start` serves in the process that runs instrumentation),
 * so no custom server is needed and no client can choose the value: it is overwritten, not kept.
 */
export function tagPeerAddresses(): void {
  if (installed) return;
  installed = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
  });
}
