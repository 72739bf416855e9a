import type { LoggerService } from "@nestjs/common";
import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  // Headers are never logged whole: they carry the token.
  return pino({ name: "pulse-ingest", level, redact: ["req.headers.authorization", "headers.authorization"] });
}

/** Nest's own messages (route mapping, bootstrap) at debug, its errors as errors, all through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
