import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ModelScript, type RecordedModelRequest } from "./script";

/** What a provider's handler gets: the parsed request and a way to record what it answered. */
export interface ModelRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: any;
  res: ServerResponse;
  /** True once the client has gone away (Esc, kill): slow streams stop writing. */
  closed(): boolean;
}

export type Handler = (
  req: ModelRequest,
  record: (entry: Omit<RecordedModelRequest, "at" | "method" | "path" | "body">) => void,
) => void | Promise<void>;

/** A mock model server on 127.0.0.1 and a free port: every request recorded, the script editable. */
export interface MockModelServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  script: ModelScript;
  requests: RecordedModelRequest[];
  /** Turn requests only (the conversation, not the agent's side requests). */
  turns(): RecordedModelRequest[];
  close(): Promise<void>;
}

export async function startModelServer(handler: Handler, script = new ModelScript()): Promise<MockModelServer> {
  const requests: RecordedModelRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // not JSON: handlers see the text
      }
      const url = new URL(req.url ?? "/", "http://mock");
      let gone = false;
      res.on("close", () => (gone = true));
      const request: ModelRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        res,
        closed: () => gone,
      };
      Promise.resolve(
        handler(request, (entry) => requests.push({ at, method: request.method, path: request.path, body, ...entry })),
      ).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: "mock_failure", message: String(error) } }));
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    script,
    requests,
    turns: () => requests.filter((r) => r.role === "turn"),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Opens an SSE response; `event(name, data)` writes one event (name omitted when null). */
export function openSse(res: ServerResponse): { event(name: string | null, data: unknown): void; end(): void } {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  return {
    event(name, data) {
      if (res.writableEnded || res.destroyed) return;
      res.write(`${name ? `event: ${name}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
