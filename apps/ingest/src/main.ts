import { ConfigError } from "@pulse/core";
import { createIngestApp } from "./app";
import { loadIngestConfig } from "./config";
import { createLogger } from "./logger";

async function main(): Promise<void> {
  let config;
  try {
    config = loadIngestConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`pulse-ingest: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const ingest = await createIngestApp(config, { logger });
  await ingest.app.listen({ host: config.HOST, port: config.INGEST_PORT });
  logger.info(
    { url: `http://${config.HOST}:${config.INGEST_PORT}`, auth: config.PULSE_TOKEN ? "token" : "none" },
    "ingest listening",
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new requests, finishing in-flight ones");
    await ingest.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error("pulse-ingest failed to start:", error);
  process.exit(1);
});
