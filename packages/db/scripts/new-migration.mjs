// Writes a migration for the change between the committed schema and the working one:
//   npm run db:new-migration -w @pulse/db -- <name> [--from <git-ref>]
// `prisma migrate dev` cannot run here (the JS schema engine fails on its shadow database), so the
// SQL comes from `migrate diff` between two datamodels. Read it before committing (MIGRATIONS.md).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseUrl } from "./database-url.mjs";

const args = process.argv.slice(2);
const name = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--from");
const fromIndex = args.indexOf("--from");
const ref = fromIndex >= 0 ? args[fromIndex + 1] : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: new-migration <snake_case_name> [--from <git-ref>]");
  process.exit(2);
}

const root = new URL("..", import.meta.url).pathname;
const previous = execFileSync("git", ["show", `${ref}:packages/db/prisma/schema.prisma`], {
  cwd: root,
  encoding: "utf8",
});
const previousFile = join(mkdtempSync(join(tmpdir(), "pulse-schema-")), "schema.prisma");
writeFileSync(previousFile, previous);

// The diff needs a reachable server (not a particular database): use the maintenance database.
const url = new URL(databaseUrl());
url.pathname = "/postgres";
const diff = spawnSync(
  process.execPath,
  [
    join(root, "scripts/prisma.mjs"),
    "migrate",
    "diff",
    "--from-schema-datamodel",
    previousFile,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: url.toString() } },
);
if (diff.status !== 0) {
  process.stderr.write(diff.stderr);
  process.exit(diff.status ?? 1);
}
if (/This is an empty migration/.test(diff.stdout)) {
  console.error("no schema change since " + ref);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const existing = readdirSync(join(root, "prisma/migrations"))
  .filter((d) => /^\d{14}_/.test(d))
  .sort();
const last = existing[existing.length - 1]?.slice(0, 14) ?? "0";
const dir = join(root, "prisma/migrations", `${stamp > last ? stamp : String(BigInt(last) + 1n)}_${name}`);
mkdirSync(dir);
writeFileSync(join(dir, "migration.sql"), diff.stdout);
console.log(`wrote ${dir}/migration.sql`);
