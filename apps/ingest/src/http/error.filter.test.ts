import { BadRequestException, HttpException, NotFoundException } from "@nestjs/common";
import { ApiError, badRequest, unavailable } from "./api-error";
import { isDependencyDown, toErrorReply } from "./error.filter";

/** An error as Prisma 6 with the pg driver adapter raises it for a raw query. */
const raw = (cause: Record<string, unknown>) =>
  Object.assign(new Error("Raw query failed"), {
    name: "PrismaClientKnownRequestError",
    code: "P2010",
    meta: { driverAdapterError: { cause } },
  });
const RETRY = { "retry-after": "5" };

describe("toErrorReply", () => {
  it("answers Pulse's own errors with their status, code, message and headers", () => {
    expect(toErrorReply(badRequest("limit: must be a number"))).toEqual({
      status: 400,
      code: "invalid_request",
      message: "limit: must be a number",
      headers: {},
    });
    expect(toErrorReply(unavailable("events could not be queued"))).toEqual({
      status: 503,
      code: "unavailable",
      message: "events could not be queued",
      headers: RETRY,
    });
    expect(toErrorReply(new ApiError(429, "too_many_requests", "slow down", { "retry-after": "1" }))).toEqual({
      status: 429,
      code: "too_many_requests",
      message: "slow down",
      headers: { "retry-after": "1" },
    });
  });

  it("maps Nest's HTTP exceptions by status, with a generic code for statuses it has no word for", () => {
    expect(toErrorReply(new NotFoundException("Cannot GET /nope"))).toMatchObject({
      status: 404,
      code: "not_found",
      message: "Cannot GET /nope",
    });
    expect(toErrorReply(new BadRequestException("bad"))).toMatchObject({ status: 400, code: "invalid_request" });
    expect(toErrorReply(new HttpException("teapot", 418))).toMatchObject({
      status: 418,
      code: "error",
      message: "teapot",
    });
  });

  it("maps Fastify's body errors by their code", () => {
    const fastify = (code: string, message: string, statusCode?: number) =>
      Object.assign(new Error(message), { code, statusCode });
    expect(toErrorReply(fastify("FST_ERR_CTP_INVALID_JSON_BODY", "Body is not valid JSON", 400))).toMatchObject({
      status: 400,
      code: "invalid_json",
    });
    expect(toErrorReply(fastify("FST_ERR_CTP_EMPTY_JSON_BODY", "Body cannot be empty", 400))).toMatchObject({
      status: 400,
      code: "invalid_json",
    });
    expect(toErrorReply(fastify("FST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large", 413))).toMatchObject({
      status: 413,
      code: "payload_too_large",
    });
    expect(
      toErrorReply(fastify("FST_ERR_CTP_INVALID_MEDIA_TYPE", "Unsupported Media Type: text/x", 415)),
    ).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(toErrorReply(fastify("FST_ERR_CTP_INVALID_CONTENT_LENGTH", "bad length"))).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
  });

  it("keeps any other 4xx a library raised as a 4xx, never a 500", () => {
    expect(toErrorReply(Object.assign(new Error("Method Not Allowed"), { statusCode: 405 }))).toMatchObject({
      status: 405,
      code: "method_not_allowed",
    });
    expect(toErrorReply(Object.assign(new Error("unusual"), { statusCode: 422 }))).toMatchObject({
      status: 422,
      code: "invalid_request",
      message: "unusual",
    });
  });

  it.each([
    ["Redis refusing connections", new Error("connect ECONNREFUSED 127.0.0.1:6379")],
    ["the producer's offline queue off", new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ["a Redis command timing out", new Error("Command timed out")],
    [
      "Prisma unable to reach Postgres (P1001)",
      Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" }),
    ],
    ["the pool timing out (P2024)", Object.assign(new Error("Timed out fetching a new connection"), { code: "P2024" })],
    ["Postgres shutting down (57P01)", raw({ kind: "postgres", code: "57P01" })],
    ["too many clients", raw({ kind: "TooManyConnections", originalCode: "53300" })],
    [
      "an outage wrapped in another error",
      Object.assign(new Error("listing failed"), { cause: new Error("Connection terminated unexpectedly") }),
    ],
  ])("%s: 503 with Retry-After, nothing about the request is wrong", (_what, error) => {
    expect(isDependencyDown(error)).toBe(true);
    expect(toErrorReply(error)).toEqual({
      status: 503,
      code: "unavailable",
      message: "a backing service (Redis or Postgres) is unavailable; retry shortly",
      headers: RETRY,
    });
  });

  it.each([
    ["a bug", new TypeError("Cannot read properties of undefined (reading 'id')")],
    ["a data exception Postgres refused", raw({ originalCode: "22003", kind: "ValueOutOfRange" })],
    ["a deadlock the store did not retry away", raw({ kind: "TransactionWriteConflict", originalCode: "40P01" })],
    ["not an error", "boom"],
    ["nothing", undefined],
  ])("%s: 500 internal, without its words", (_what, error) => {
    expect(isDependencyDown(error)).toBe(false);
    expect(toErrorReply(error)).toEqual({ status: 500, code: "internal", message: "internal error", headers: {} });
  });

  it("survives an error whose cause is itself", () => {
    const loop: { message: string; cause?: unknown } = { message: "loop" };
    loop.cause = loop;
    expect(isDependencyDown(loop)).toBe(false);
  });
});
