import { databaseUrl as databaseUrlOn } from "@pulse/test-kit";

// Where the integration tests find Postgres and Redis (the machine's own, see DEVELOPERS.md).
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Name of the database that holds the migrated schema; each test file copies it. */
export const TEMPLATE_DB_ENV = "PULSE_TEST_TEMPLATE_DB";

export function databaseUrl(name: string): string {
  return databaseUrlOn(POSTGRES_ADMIN_URL, name);
}
