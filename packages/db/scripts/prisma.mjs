// Runs the Prisma CLI with DATABASE_URL defaulted: the 6.19 CLI needs it set even for `generate`.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { databaseUrl } from "./database-url.mjs";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: databaseUrl(), PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  cwd: new URL("..", import.meta.url).pathname,
});
process.exit(result.status ?? 1);
