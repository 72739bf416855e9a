import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface OtherOrigin {
  /** e.g. http://127.0.0.2:41234: another site as far as the browser is concerned (another host). */
  url: string;
  /** Every request this site received, in order ("GET /phish"). */
  hits: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for somebody else's web site: serves the same empty page on every path, from
 * 127.0.0.2 (loopback, so reachable without network, but not the 127.0.0.1 Pulse is addressed as).
 */
export function startOtherOrigin(): Promise<OtherOrigin> {
  const hits: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>another site</title><p>another site</p>");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.2", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.2:${port}`,
        hits,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
