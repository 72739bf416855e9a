import { type ApiClient, createApiClient } from "@pulse/core/api-client";
import type { ClientConfig } from "../env/client-config";
import { describeBadUrl } from "../env/client-config";
import { apiErrorMessage, httpRequest, TransportError } from "../transport/http-request";
import { CliError, EXIT } from "./errors";

const API_TIMEOUT_MS = 10_000;

/** Calls the ingest API and returns its JSON; every failure becomes one clear CliError with its exit code. */
export async function callApi<T>(
  config: ClientConfig,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const badUrl = describeBadUrl(config.url);
  if (badUrl) throw new CliError(badUrl, EXIT.USAGE);
  let response;
  try {
    response = await httpRequest(config, {
      method,
      path,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: API_TIMEOUT_MS,
    });
  } catch (error) {
    const code = error instanceof TransportError ? error.code : "ERROR";
    throw new CliError(
      `cannot reach ingest at ${config.url} (${code}); is Pulse running? \`pulse doctor\` checks the setup`,
      EXIT.UNREACHABLE,
    );
  }
  if (response.status === 401) {
    const hint = config.token ? "PULSE_TOKEN does not match the server's" : "the server needs a token: set PULSE_TOKEN";
    throw new CliError(`ingest refused the request: ${apiErrorMessage(response.body)} (${hint})`, EXIT.AUTH);
  }
  if (response.status === 404) throw new CliError(apiErrorMessage(response.body), EXIT.NOT_FOUND);
  if (response.status < 200 || response.status >= 300) {
    throw new CliError(`ingest answered ${response.status}: ${apiErrorMessage(response.body)}`, EXIT.FAILURE);
  }
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new CliError(
      `ingest at ${config.url} answered with something that is not JSON; is PULSE_URL right?`,
      EXIT.FAILURE,
    );
  }
}

/** The typed ingest client (`@pulse/core/api-client`, no zod) over this CLI's own transport. */
export function apiClient(config: ClientConfig): ApiClient {
  return createApiClient((method, path, body) => callApi(config, method, path, body));
}

/** The API's JSON, as ingest defines it (type-only: nothing of its schemas is loaded at run time). */
export type { SessionJson } from "@pulse/core/api";
