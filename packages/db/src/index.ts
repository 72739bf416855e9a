export { createPrismaClient, type PrismaClientOptions } from "./client";
export { DEFAULT_DATABASE_URL } from "./defaults";
export { Prisma, type PrismaClient } from "./generated/prisma/client";
export type { Session as SessionRow, Event as EventRow } from "./generated/prisma/client";
export { databaseEnv } from "./env";
export { classifyDatabaseError, type DatabaseErrorKind, describeDatabaseError, sqlState } from "./errors";
