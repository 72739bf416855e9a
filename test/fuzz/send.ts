import { connect } from "node:net";

/** One request as the fuzzer sends it: every byte of the head and body chosen by the generator. */
export interface FuzzRequest {
  method: string;
  /** The request target, sent as latin1 bytes: no client cleans it up first. */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /**
   * The whole request as bytes, instead of method/target/headers/body: malformed HTTP (bad request
   * lines, conflicting lengths, bare LFs) that no client library would write.
   */
  raw?: Buffer;
  /** Send only this many bytes of the request and then nothing more, keeping the connection open. */
  stopAfterBytes?: number;
}

export interface FuzzReply {
  /** 0 when the server closed the connection without an HTTP answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From the first byte sent to the end of the answer (or to the close). */
  ms: number;
  /** True when no answer and no close came within the timeout: a hang. */
  timedOut: boolean;
}

/** Content-Length from the headers, unless the request says otherwise (raw requests). */
export function encodeRequest(request: FuzzRequest, host: string): Buffer {
  if (request.raw) return request.raw;
  const body = request.body ?? Buffer.alloc(0);
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers: [string, string][] = [
    ["host", host],
    ["connection", "close"],
    ...request.headers.filter(([name]) => name.toLowerCase() !== "host" || !names.has("host")),
  ];
  if (body.length > 0 && !names.has("content-length") && !names.has("transfer-encoding"))
    headers.push(["content-length", String(body.length)]);
  const head = [`${request.method} ${request.target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body]);
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf("\r\n", at);
    if (eol === -1) break;
    const size = parseInt(data.subarray(at, eol).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses what came back; the first answer only (a server may answer once and close). */
function parseReply(data: Buffer): Omit<FuzzReply, "ms" | "timedOut"> {
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(data.subarray(0, 13).toString("latin1")) && data.indexOf("\r\n\r\n") !== -1)
    data = data.subarray(data.indexOf("\r\n\r\n") + 4);
  const split = data.indexOf("\r\n\r\n");
  const head = data.subarray(0, split === -1 ? data.length : split).toString("latin1");
  const lines = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = split === -1 ? Buffer.alloc(0) : data.subarray(split + 4);
  const body = /chunked/i.test(headers["transfer-encoding"] ?? "") ? decodeChunked(rest) : rest;
  return { status, headers, body: body.toString("utf8") };
}

/**
 * Sends one request over a plain socket and waits for the answer, or for the server to close, at most
 * `timeoutMs`. The server closes (`Connection: close`), so the end of the answer is the end of the
 * stream; an answer complete by its Content-Length ends it early.
 */
export function send(url: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzReply> {
  const { hostname, port } = new URL(url);
  const bytes = encodeRequest(request, `${hostname}:${port}`);
  const out = request.stopAfterBytes === undefined ? bytes : bytes.subarray(0, request.stopAfterBytes);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseReply(Buffer.concat(chunks)), ms: performance.now() - started, timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on("connect", () => socket.write(out));
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      // A complete answer by Content-Length: no need to wait for the close.
      let data = Buffer.concat(chunks);
      while (/^HTTP\/1\.[01] 1\d\d /.test(data.subarray(0, 13).toString("latin1")) && data.indexOf("\r\n\r\n") !== -1)
        data = data.subarray(data.indexOf("\r\n\r\n") + 4);
      const split = data.indexOf("\r\n\r\n");
      if (split === -1) return;
      const head = data.subarray(0, split).toString("latin1");
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (length !== undefined && data.length - split - 4 >= Number(length)) finish(false);
      // A stream (server-sent events) is answered once its head is: it is not meant to end.
      else if (/\r\ncontent-type:\s*text\/event-stream/i.test(head)) finish(false);
      else if (
        /\r\ntransfer-encoding:\s*chunked/i.test(head) &&
        data.subarray(data.length - 5).toString("latin1") === "0\r\n\r\n"
      )
        finish(false);
    });
    // A reset after an answer (the server closing while we still send a body it refused) is an answer.
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(false));
  });
}
