import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createIngestApp } from "../../../../apps/ingest/src/app";
import { loadIngestConfig } from "../../../../apps/ingest/src/config";
import type { TestStack } from "../../../../test/stack";

/**
 * The stack's ingest, started again on the same port (after `stack.ingest.close()` simulated an
 * outage). `stack.stop()` only closes the ingest it started itself: close this one with
 * `closeRestartedIngests()` first.
 */
export async function restartIngest(stack: TestStack, env: Record<string, string> = {}): Promise<void> {
  stack.ingest = await startIngestOn(stack, Number(new URL(stack.url).port), env);
  restarted.push(stack.ingest);
}

const restarted: Array<{ close(): Promise<void> }> = [];

export async function closeRestartedIngests(): Promise<void> {
  for (const ingest of restarted.splice(0)) await ingest.close();
}

/** Another ingest on the stack's database and Redis prefix (env overrides, e.g. a dead REDIS_URL). */
export async function startIngestOn(stack: TestStack, port: number, env: Record<string, string> = {}) {
  const vars = {
    DATABASE_URL: stack.env.databaseUrl,
    REDIS_URL: stack.env.redisUrl,
    PULSE_REDIS_PREFIX: stack.env.redisPrefix,
    ...env,
  };
  const ingest = await createIngestApp(loadIngestConfig(vars), { logger: pino({ level: "silent" }) });
  await ingest.app.listen({ host: "127.0.0.1", port });
  return ingest;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface TestProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of ingest that records every request in arrival order. With `loseAnswers`,
 * it forwards each request (ingest accepts it) and then drops the connection instead of answering:
 * a reply lost on the way back, after which the client must retry without creating a duplicate.
 */
export async function startProxy(target: string, options: { loseAnswers?: boolean } = {}): Promise<TestProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          const answer: Buffer[] = [];
          up.on("data", (c: Buffer) => answer.push(c));
          up.on("end", () => {
            if (options.loseAnswers) return req.socket.destroy();
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(answer));
          });
        },
      );
      forward.on("error", () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** GET a JSON API path; returns status and parsed body. */
export async function getJson(base: string, path: string, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json() };
}

export async function postJson(
  base: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: any }> {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
