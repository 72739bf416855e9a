import { connect } from "node:net";

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent byte for byte as the request target (latin1): no client normalises it first. */
  target: string;
  headers?: Record<string, string>;
  body?: string;
  /** Connect from this local address (e.g. the machine's non-loopback IP). */
  localAddress?: string;
}

/**
 * One HTTP/1.1 request over a plain socket. fetch and http.request clean up a path (dot segments,
 * backslashes, refused characters) before sending it; path tricks must reach the server as written.
 */
export function rawRequest(url: string, request: RawRequest, timeoutMs = 10_000): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  const body = request.body ?? "";
  const headers: Record<string, string> = { host: `${hostname}:${port}`, connection: "close", ...request.headers };
  if (body) headers["content-length"] = String(Buffer.byteLength(body));
  const head = [
    `${request.method ?? "GET"} ${request.target} HTTP/1.1`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: hostname.replace(/^\[|\]$/g, ""),
      port: Number(port),
      localAddress: request.localAddress,
    });
    const chunks: Buffer[] = [];
    const timer = setTimeout(
      () => socket.destroy(new Error(`no answer within ${timeoutMs} ms for ${request.target}`)),
      timeoutMs,
    );
    socket.on("connect", () =>
      socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), Buffer.from(body)])),
    );
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const lines = text.slice(0, split === -1 ? text.length : split).split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
      const replyHeaders: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        if (colon > 0) replyHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers: replyHeaders, body: split === -1 ? "" : text.slice(split + 4) });
    });
  });
}
