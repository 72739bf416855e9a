import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const monorepoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const config: NextConfig = {
  // The Docker build (PULSE_WEB_STANDALONE=1) traces a self-contained server into .next/standalone:
  // ~50 MB instead of the monorepo's node_modules. `next start` (the local way) needs the normal output.
  output: process.env.PULSE_WEB_STANDALONE === "1" ? "standalone" : undefined,
  // Server-sent events must reach the browser as they are written: gzip would hold them in a buffer.
  compress: false,
  poweredByHeader: false,
  // Pulse shows no optimised images: /_next/image answers 404 rather than fetching the dashboard's
  // own pages on a stranger's behalf (it runs outside the proxy's matcher).
  images: { unoptimized: true },
  // Bull Board (proxied under /queues) redirects between "/queues" and "/queues/" itself.
  skipTrailingSlashRedirect: true,
  // Workspace packages and Redis clients run as plain Node modules on the server, not bundled.
  serverExternalPackages: ["@pulse/core", "@pulse/queues", "ioredis", "bullmq"],
  turbopack: { root: monorepoRoot },
  outputFileTracingRoot: monorepoRoot,
};

export default config;
