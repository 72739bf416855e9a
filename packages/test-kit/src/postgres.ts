import { Client } from "pg";

/** `adminUrl` with its database replaced by `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on a connection to the admin database, closed afterwards. */
export async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoted = (name: string) => {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`not a plain database name: ${name}`);
  return `"${name}"`;
};

/**
 * CREATE DATABASE, optionally as a copy of `template`. Copying needs the template to have no other
 * connections: while another caller is copying it, retry briefly.
 */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const sql = `CREATE DATABASE ${quoted(name)}${template ? ` TEMPLATE ${quoted(template)}` : ""}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin(adminUrl, (c) => c.query(sql));
      return databaseUrl(adminUrl, name);
    } catch (error) {
      if (attempt > 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Drops the database `name` (one the caller created), closing whatever is still connected to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`));
}
