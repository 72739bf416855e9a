import type { ClientConfig } from "../env/client-config";
import type { IncomingMessage, RequestOptions } from "node:http";

export interface HttpResponse {
  status: number;
  body: string;
  headers: IncomingMessage["headers"] | Record<string, string>;
}

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** A request that got no HTTP answer: refused, reset, timed out, DNS… `code` is the system error code. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * One HTTP request, never global fetch (undici costs tens of milliseconds to load, which the hook
 * cannot afford): plain http through a minimal client (plain-http.ts), https through node:https.
 * The timeout covers the whole exchange, not just the connection.
 */
export function httpRequest(config: ClientConfig, request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(config.url + request.path);
  const https = url.protocol === "https:";
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  if (request.body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(request.body));
  }
  if (!https) return (require("./plain-http") as typeof import("./plain-http")).plainHttpRequest(url, request, headers);
  const transport = require("node:https") as typeof import("node:https");
  // agent: false — one connection per request, closed after it: a kept-alive socket would hold a
  // short-lived CLI process open for seconds after its work is done.
  const options: RequestOptions & { ca?: (string | Buffer)[] } = { method: request.method, headers, agent: false };
  if (https && config.caFile) {
    const { readFileSync } = require("node:fs") as typeof import("node:fs");
    const { rootCertificates } = require("node:tls") as typeof import("node:tls");
    options.ca = [...rootCertificates, readFileSync(config.caFile)];
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: string, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new TransportError(message, code));
    };
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers });
      });
      res.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "ERESPONSE", error.message));
    });
    const timer = setTimeout(() => {
      fail("ETIMEDOUT", `no answer within ${request.timeoutMs} ms`);
      req.destroy();
    }, request.timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "EREQUEST", error.message));
    req.end(request.body);
  });
}

/** The `message` of an API error body `{error, message}`, else a short excerpt of the body. */
export function apiErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: fall through
  }
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > 200 ? line.slice(0, 200) + "…" : line || "(empty body)";
}
