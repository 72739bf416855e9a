/** An error the API answers with its own status and `{error, message}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, "invalid_request", message);
export const notFound = (message: string) => new ApiError(404, "not_found", message);

/** Seconds a client should wait before retrying when a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;
export const unavailable = (message: string) =>
  new ApiError(503, "unavailable", message, { "retry-after": String(RETRY_AFTER_SECONDS) });
