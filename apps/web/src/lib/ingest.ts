import { type ApiClient, createApiClient } from "@pulse/core/api-client";
import { webEnv } from "./env";

/** Ingest did not answer (down, wrong INGEST_URL, timeout) or answered with an error. */
export class IngestError extends Error {
  override name = "IngestError";
  constructor(
    message: string,
    /** 0 when ingest could not be reached at all. */
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 5000;

/** Calls the ingest API server side, with the bearer token when PULSE_TOKEN is set. */
export async function ingestFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const { INGEST_URL, PULSE_TOKEN } = webEnv();
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json");
  if (PULSE_TOKEN) headers.set("authorization", `Bearer ${PULSE_TOKEN}`);
  let response: Response;
  try {
    response = await fetch(`${INGEST_URL}${path}`, {
      ...init,
      headers,
      cache: "no-store",
      signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new IngestError(`cannot reach the ingest API at ${INGEST_URL} (${why})`, 0, "ingest_unreachable");
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): reported below by status.
  }
  if (response.status === 401) {
    // Not the viewer's fault: the dashboard's own PULSE_TOKEN is missing or differs from ingest's.
    const why = PULSE_TOKEN
      ? "the dashboard's PULSE_TOKEN is not the one ingest was started with"
      : "ingest requires a token but the dashboard has no PULSE_TOKEN";
    throw new IngestError(`ingest refused the dashboard: ${why}`, 401, "ingest_unauthorized");
  }
  if (!response.ok) {
    const apiError = body as { error?: string; message?: string } | null;
    const message = apiError?.message ?? `ingest answered ${response.status} for ${path.split("?")[0]}`;
    throw new IngestError(message, response.status, apiError?.error ?? "ingest_error");
  }
  return body as T;
}

/**
 * The typed ingest client (`@pulse/core/api-client`: the contract's types, no zod) over ingestFetch,
 * for the dashboard's server code: its pages and its /api forwarder.
 */
export const ingestApi: ApiClient = createApiClient((method, path, body) =>
  ingestFetch(
    path,
    body === undefined
      ? { method }
      : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } },
  ),
);
