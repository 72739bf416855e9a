import { setPriority } from "node:os";
import { ConfigError } from "@pulse/core";
import { startReaper } from "./app";
import { loadReaperConfig } from "./config";
import { createLogger } from "./logger";

async function main(): Promise<void> {
  let config;
  try {
    config = loadReaperConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`pulse-reaper: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    if (config.REAPER_NICE > 0) setPriority(config.REAPER_NICE);
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "could not lower the process priority");
  }
  const app = await startReaper(config, { logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing running jobs");
    await app.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error("pulse-reaper failed to start:", error);
  process.exit(1);
});
