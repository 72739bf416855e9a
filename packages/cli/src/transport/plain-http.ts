import type { HttpRequest, HttpResponse } from "./http-request";
import { TransportError } from "./http-request";

/**
 * A minimal HTTP/1.1 client over node:net for plain-http URLs: one request per connection
 * (`Connection: close`), body by Content-Length, chunked or up to the close. node:http costs ~6 ms
 * to load and set up a request, a tenth of the hook's whole budget; this costs a fraction of that.
 * @lazy required when first used (`require(…) as typeof import(…)`), which knip cannot follow
 */
export function plainHttpRequest(
  url: URL,
  request: HttpRequest,
  headers: Record<string, string>,
): Promise<HttpResponse> {
  const net = require("node:net") as typeof import("node:net");
  for (const [name, value] of Object.entries(headers)) {
    // A header value with a line break would let a bad token or key inject headers: refuse it.
    if (/[\r\n]/.test(value) || /[\r\n:]/.test(name))
      return Promise.reject(new TransportError(`header ${name} contains a line break`, "EINVALIDHEADER"));
  }
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body, "utf8");
  const lines = [
    `${request.method} ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    "connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  const head = Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port || 80);

  return new Promise((resolve, reject) => {
    let settled = false;
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const finish = (error: TransportError | null, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(
      () => finish(new TransportError(`no answer within ${request.timeoutMs} ms`, "ETIMEDOUT")),
      request.timeoutMs,
    );
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish(new TransportError(error.message, error.code ?? "ESOCKET")),
    );
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parseResponse(Buffer.concat(chunks), false);
      if (parsed) finish(null, parsed);
    });
    socket.on("end", () => {
      const parsed = parseResponse(Buffer.concat(chunks), true);
      finish(
        parsed ? null : new TransportError("the connection closed before a whole HTTP answer", "ECONNRESET"),
        parsed ?? undefined,
      );
    });
    socket.write(body.length ? Buffer.concat([head, body]) : head);
  });
}

/**
 * The response in `data` when it is complete (or, at the connection's end, as complete as it will
 * get); null when more is to come or it is not HTTP.
 */
export function parseResponse(data: Buffer, atEnd: boolean): HttpResponse | null {
  const headEnd = data.indexOf("\r\n\r\n");
  if (headEnd < 0) return null;
  const [statusLine, ...headerLines] = data.subarray(0, headEnd).toString("latin1").split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(headEnd + 4);
  let body: Buffer | null;
  if (/\bchunked\b/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(rest);
  else if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    body = rest.length >= length ? rest.subarray(0, length) : null;
  } else body = atEnd ? rest : null;
  if (!body) return null;
  return { status: Number(match[1]), body: body.toString("utf8"), headers };
}

/** Decodes a chunked body; null until the last (zero-size) chunk has arrived. */
function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", offset);
    if (lineEnd < 0) return null;
    const size = parseInt(data.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return null;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}
