import { classifyDatabaseError, describeDatabaseError, sqlState } from "./errors";

/** Errors shaped as Prisma 6 with the pg driver adapter raises them (seen on this machine). */
const raw = (cause: Record<string, unknown>, code = "P2010") =>
  Object.assign(new Error("Raw query failed"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });
/** An error as the pg driver raises it: the SQLSTATE in `code`. */
const pg = (code: string, message: string) =>
  Object.assign(new Error(message), { name: "error", code, severity: "ERROR" });

describe("classifyDatabaseError", () => {
  it.each([
    [
      "Prisma unable to reach the server (P1001)",
      Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" }),
    ],
    ["a raw query while unreachable", raw({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 })],
    ["the server shutting down (57P01)", raw({ kind: "postgres", code: "57P01" })],
    ["the server starting up (57P03)", raw({ kind: "postgres", code: "57P03" })],
    ["a statement cancelled by the server (57014)", pg("57014", "canceling statement due to statement timeout")],
    ["too many connections (53300)", raw({ kind: "TooManyConnections", originalCode: "53300" })],
    ["disk full (53100)", pg("53100", "could not extend file")],
    ["a connection failure (08006)", pg("08006", "connection failure")],
    ["the adapter's socket timing out", raw({ kind: "SocketTimeout" })],
    ["a connection ended mid-query", new Error("Connection terminated unexpectedly")],
    [
      "the pool timing out (P2024)",
      Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" }),
    ],
    [
      "a transaction closed by its timeout (P2028)",
      Object.assign(new Error("Transaction already closed: A query cannot be executed on an expired transaction"), {
        code: "P2028",
      }),
    ],
    ["pg refusing to connect", new Error("connect ECONNREFUSED 127.0.0.1:5432")],
    ["too many clients, in words", new Error("sorry, too many clients already")],
    [
      "an outage wrapped in another error",
      Object.assign(new Error("apply failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:5432") }),
    ],
  ])("%s: unavailable", (_what, error) => {
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });

  it.each([
    ["a deadlock through the adapter", raw({ kind: "TransactionWriteConflict", originalCode: "40P01" })],
    ["a serialization failure from pg (40001)", pg("40001", "could not serialize access due to concurrent update")],
    [
      "Prisma's write conflict (P2034)",
      Object.assign(new Error("Transaction failed due to a write conflict or a deadlock"), { code: "P2034" }),
    ],
    [
      "Prisma's engine error with Postgres' code in meta",
      Object.assign(new Error("x"), { code: "P2010", meta: { code: "40P01" } }),
    ],
    ["lock not available (55P03)", pg("55P03", "could not obtain lock on row")],
    ["a deadlock, in words only", new Error("deadlock detected")],
  ])("%s: conflict", (_what, error) => {
    expect(classifyDatabaseError(error)).toBe("conflict");
  });

  it.each([
    ["jsonb refusing a lone surrogate (22P02)", raw({ originalCode: "22P02", kind: "InvalidInputValue" })],
    ["an integer out of range (22003)", raw({ originalCode: "22003", kind: "ValueOutOfRange" })],
    ["NUL in text (22021)", raw({ kind: "postgres", code: "22021" })],
    ["a check constraint (23514)", raw({ kind: "postgres", code: "23514" })],
    ["a unique violation from pg (23505)", pg("23505", "duplicate key value violates unique constraint")],
    [
      "Prisma refusing a parameter (a lone surrogate in text)",
      Object.assign(new Error("unexpected end of hex escape"), { name: "PrismaClientValidationError" }),
    ],
  ])("%s: refused", (_what, error) => {
    expect(classifyDatabaseError(error)).toBe("refused");
  });

  it.each([
    ["a trigger raising (P0001)", raw({ kind: "postgres", code: "P0001" })],
    ["a missing column (42703)", raw({ kind: "ColumnNotFound", originalCode: "42703" })],
    ["a bug", new TypeError("Cannot read properties of undefined (reading 'time')")],
    ["a Redis connection closing (not the database's words)", new Error("Connection is closed.")],
    ["not an error", "boom"],
    ["null", null],
  ])("%s: unknown", (_what, error) => {
    expect(classifyDatabaseError(error)).toBe("unknown");
  });

  it("follows the cause only when asked to, and survives a cycle", () => {
    const wrapped = Object.assign(new Error("apply failed"), { cause: pg("40P01", "deadlock detected") });
    expect(classifyDatabaseError(wrapped)).toBe("conflict");
    expect(classifyDatabaseError(wrapped, { followCause: false })).toBe("unknown");
    const a: { message: string; cause?: unknown } = { message: "a" };
    a.cause = { message: "b", cause: a };
    expect(classifyDatabaseError(a)).toBe("unknown");
  });
});

describe("sqlState", () => {
  it("reads the SQLSTATE wherever the adapter, Prisma or pg put it", () => {
    expect(sqlState(raw({ originalCode: "22003" }))).toBe("22003");
    expect(sqlState(raw({ kind: "postgres", code: "22021" }))).toBe("22021");
    expect(sqlState(pg("23505", "dup"))).toBe("23505");
    expect(sqlState(new Error("no code"))).toBeUndefined();
    expect(sqlState(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBeUndefined();
  });
});

describe("describeDatabaseError", () => {
  it("says Postgres' code and words on one line", () => {
    const error = Object.assign(
      new Error(
        '\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `22003`. Message: `value "2147483648" is out of range for type integer`',
      ),
      {
        code: "P2010",
        meta: {
          driverAdapterError: {
            cause: {
              originalCode: "22003",
              kind: "ValueOutOfRange",
              cause: 'value "2147483648" is out of range for type integer',
            },
          },
        },
      },
    );
    expect(describeDatabaseError(error)).toBe('Postgres 22003: value "2147483648" is out of range for type integer');
    expect(
      describeDatabaseError(
        Object.assign(new Error("x"), { meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } }),
      ),
    ).toBe("Postgres: DatabaseNotReachable");
    expect(
      describeDatabaseError(new Error("\nInvalid `prisma.$queryRaw()` invocation:\n\nunexpected end of hex escape\n")),
    ).toBe("unexpected end of hex escape");
    expect(describeDatabaseError("boom")).toBe("boom");
  });
});
