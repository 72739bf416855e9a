import type { IncomingMessage } from "node:http";
import type { ClientConfig } from "../env/client-config";
import { TransportError } from "./http-request";

/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface ServerSentEvent {
  /** The `id:` in effect after this event (the last one the stream set). */
  id: string | undefined;
  event: string;
  data: string;
}

/** How a connection ended: refused with a status (and its body), or dropped/ended after a 200. */
export type StreamEnd = { status: number; body: string } | { status: 200; dropped: string };

/**
 * Incremental SSE parsing: feed chunks, get events. Lines end in LF, CR or CRLF; a comment starts
 * with ":"; `id:` lines set the last event id even on blocks without data (which dispatch nothing).
 */
export class SseParser {
  lastId: string | undefined;
  private buffer = "";
  private data: string[] = [];
  private event = "";

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  /** A new connection: a block the old one cut off is dropped (the last id is kept). */
  reset(): void {
    this.buffer = "";
    this.data = [];
    this.event = "";
  }

  push(chunk: string): void {
    this.buffer += chunk;
    let match: RegExpExecArray | null;
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    while ((match = lineEnd.exec(this.buffer))) {
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, match.index));
      start = match.index + match[0].length;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0)
        this.onEvent({ id: this.lastId, event: this.event || "message", data: this.data.join("\n") });
      this.data = [];
      this.event = "";
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
  }
}

/**
 * One `GET` of an event stream (node:http or node:https, with the token and the CA file as every
 * other call): what arrives goes to the parser; resolves when the connection ends, however.
 */
export function readEventStream(
  config: ClientConfig,
  path: string,
  options: {
    lastEventId?: string;
    onOpen?: () => void;
    /** Parses what arrives (the caller reads its `lastId` when the stream ends). */
    parser: SseParser;
    /** Anything arrived, comments (pings) included. */
    onData?: () => void;
  },
): { done: Promise<StreamEnd>; close(): void } {
  const url = new URL(config.url + path);
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const https = url.protocol === "https:";
  const transport = https
    ? (require("node:https") as typeof import("node:https"))
    : (require("node:http") as typeof import("node:http"));
  const requestOptions: import("node:https").RequestOptions = { method: "GET", headers, agent: false };
  if (https && config.caFile) {
    const { readFileSync } = require("node:fs") as typeof import("node:fs");
    const { rootCertificates } = require("node:tls") as typeof import("node:tls");
    requestOptions.ca = [...rootCertificates, readFileSync(config.caFile)];
  }
  let close = () => {};
  const done = new Promise<StreamEnd>((resolve, reject) => {
    const req = transport.request(url, requestOptions, (res: IncomingMessage) => {
      res.setEncoding("utf8");
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        let body = "";
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status, body }));
        res.on("error", () => resolve({ status, body }));
        return;
      }
      options.onOpen?.();
      res.on("data", (chunk: string) => {
        options.onData?.();
        options.parser.push(chunk);
      });
      res.on("end", () => resolve({ status: 200, dropped: "the server ended the stream" }));
      res.on("error", (error: Error) => resolve({ status: 200, dropped: error.message }));
      res.on("close", () => resolve({ status: 200, dropped: "the connection closed" }));
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      reject(new TransportError(error.message, error.code ?? "EREQUEST")),
    );
    req.end();
    close = () => req.destroy();
  });
  return { done, close: () => close() };
}
