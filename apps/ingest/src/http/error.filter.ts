import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from "@nestjs/common";
import { classifyDatabaseError } from "@pulse/db";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { ApiError, RETRY_AFTER_SECONDS } from "./api-error";

const CODE_BY_STATUS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
};

/** Errors Fastify raises while reading a body, by their code. */
const BODY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, "invalid_json"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "invalid_json"],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "payload_too_large"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, "unsupported_media_type"],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "invalid_request"],
};

/** Signs that Redis could not be reached (Postgres' are `@pulse/db`'s to read). */
const REDIS_DOWN =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out/i;

/** Redis or Postgres could not be reached: the client should retry, nothing it sent is wrong. */
export function isDependencyDown(error: unknown, seen = new Set<unknown>()): boolean {
  if (error === null || typeof error !== "object" || seen.has(error)) return false;
  seen.add(error);
  const e = error as { message?: string; cause?: unknown };
  if (
    classifyDatabaseError(error, { followCause: false }) === "unavailable" ||
    REDIS_DOWN.test(String(e.message ?? ""))
  )
    return true;
  return e.cause !== undefined && isDependencyDown(e.cause, seen);
}

interface ErrorReply {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

export function toErrorReply(exception: unknown): ErrorReply {
  if (exception instanceof ApiError)
    return { status: exception.status, code: exception.code, message: exception.message, headers: exception.headers };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, code: CODE_BY_STATUS[status] ?? "error", message: exception.message, headers: {} };
  }
  const e = exception as { code?: string; statusCode?: number; message?: string };
  const known = e?.code ? BODY_ERRORS[e.code] : undefined;
  if (known) return { status: known[0], code: known[1], message: e.message ?? "bad request body", headers: {} };
  if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return {
      status: e.statusCode,
      code: CODE_BY_STATUS[e.statusCode] ?? "invalid_request",
      message: e.message ?? "bad request",
      headers: {},
    };
  }
  if (isDependencyDown(exception)) {
    return {
      status: 503,
      code: "unavailable",
      message: "a backing service (Redis or Postgres) is unavailable; retry shortly",
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
    };
  }
  return { status: 500, code: "internal", message: "internal error", headers: {} };
}

/** 503s this far apart are two outages, each logged when it starts. */
const OUTAGE_QUIET_MS = 30_000;

/** Every error leaves as `{error, message}` with a meaningful status; only Pulse's own bugs are 500s. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  /** When the last 503 was answered: an outage is logged when it starts, not once per request. */
  private last503At = -Infinity;

  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, code, message, headers } = toErrorReply(exception);
    const context = { method: request.method, url: request.url.split("?")[0], status, code };
    if (status === 503) {
      // Redis or Postgres is down: every request answers 503 until it is back. Logged when that
      // starts (no 503 for OUTAGE_QUIET_MS before), without a stack per request.
      const now = Date.now();
      if (now - this.last503At > OUTAGE_QUIET_MS)
        this.logger.warn(
          { ...context, err: (exception as Error)?.message },
          "answering 503: a backing service is unavailable (logged once per outage)",
        );
      this.last503At = now;
    } else if (status >= 500) this.logger.error({ ...context, err: exception }, "request failed");
    else this.logger.debug(context, message);
    void reply.status(status).headers(headers).send({ error: code, message });
  }
}
