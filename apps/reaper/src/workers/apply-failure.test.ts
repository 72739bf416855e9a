import { UnrecoverableError } from "bullmq";
import { classifyFailure } from "./apply-failure";

/** Errors shaped as Prisma 6 with the pg driver adapter raises them (seen on this machine). */
const raw = (cause: Record<string, unknown>, code = "P2010") =>
  Object.assign(new Error("Raw query failed"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

describe("classifyFailure", () => {
  it.each([
    ["jsonb refusing a lone surrogate (22P02)", raw({ originalCode: "22P02", kind: "InvalidInputValue" })],
    ["an integer out of range (22003)", raw({ originalCode: "22003", kind: "ValueOutOfRange" })],
    ["NUL in text (22021)", raw({ kind: "postgres", code: "22021" })],
    ["a check constraint (23514)", raw({ kind: "postgres", code: "23514" })],
    [
      "Prisma refusing a parameter (a lone surrogate in text)",
      Object.assign(new Error("unexpected end of hex escape"), { name: "PrismaClientValidationError" }),
    ],
    ["a structure too deep to encode", new RangeError("Maximum call stack size exceeded")],
    ["an invalid payload", new UnrecoverableError("job 1 (apply-events) has an invalid payload")],
    [
      "a structure too deep, wrapped",
      Object.assign(new Error("apply failed"), { cause: new RangeError("Maximum call stack size exceeded") }),
    ],
  ])("%s: refused", (_what, error) => {
    expect(classifyFailure(error)).toBe("refused");
  });

  it.each([
    [
      "Postgres unreachable",
      Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" }),
    ],
    ["a raw query while unreachable", raw({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 })],
    ["the server shutting down (57P01)", raw({ kind: "postgres", code: "57P01" })],
    ["the server starting up (57P03)", raw({ kind: "postgres", code: "57P03" })],
    ["too many connections", raw({ kind: "TooManyConnections", originalCode: "53300" })],
    ["a deadlock", raw({ kind: "TransactionWriteConflict", originalCode: "40P01" })],
    ["a connection ended mid-query", new Error("Connection terminated unexpectedly")],
    [
      "the pool timing out",
      Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" }),
    ],
    [
      "a wrapped outage",
      Object.assign(new Error("apply failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:5432") }),
    ],
    ["Redis closing the connection", new Error("Connection is closed.")],
    [
      "ioredis giving up a command",
      Object.assign(new Error("Reached the max retries per request limit (which is 1)."), {
        name: "MaxRetriesPerRequestError",
      }),
    ],
    [
      "a Redis outage wrapped in another error",
      Object.assign(new Error("could not settle"), {
        cause: new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      }),
    ],
  ])("%s: outage", (_what, error) => {
    expect(classifyFailure(error)).toBe("outage");
  });

  it.each([
    ["a trigger raising (P0001)", raw({ kind: "postgres", code: "P0001" })],
    ["a missing column (42703)", raw({ kind: "ColumnNotFound", originalCode: "42703" })],
    ["a bug", new TypeError("Cannot read properties of undefined (reading 'time')")],
    ["not an error", "boom"],
  ])("%s: unknown", (_what, error) => {
    expect(classifyFailure(error)).toBe("unknown");
  });
});
