// `npm start`'s database step: create the database if it does not exist, then apply migrations.
// Creating is limited to the database named in DATABASE_URL; nothing is ever dropped.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { databaseUrl } from "./database-url.mjs";

const url = new URL(databaseUrl());
const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
if (!name) {
  console.error("DATABASE_URL names no database (expected …/<name>)");
  process.exit(1);
}

const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
try {
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (rowCount === 0) {
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    console.log(`created database ${name}`);
  }
} catch (error) {
  console.error(`cannot prepare database ${name} at ${url.host}: ${error.message}`);
  process.exit(1);
} finally {
  await client.end().catch(() => {});
}

const deploy = spawnSync(process.execPath, [new URL("./prisma.mjs", import.meta.url).pathname, "migrate", "deploy"], {
  stdio: "inherit",
});
process.exit(deploy.status ?? 1);
