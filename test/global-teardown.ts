import { Client } from "pg";
import { POSTGRES_ADMIN_URL, TEMPLATE_DB_ENV } from "./services";

/** Drops the template database global-setup created (and only that). */
export default async function globalTeardown(): Promise<void> {
  const name = process.env[TEMPLATE_DB_ENV];
  if (!name) return;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
