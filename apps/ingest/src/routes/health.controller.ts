import { Controller, Get, Inject, Res } from "@nestjs/common";
import type { healthSchema, notReadySchema, readySchema } from "@pulse/core/api";
import type { FastifyReply } from "fastify";
import type { z } from "zod";
import { RETRY_AFTER_SECONDS } from "../http/api-error";
import { INGEST_DEPS, type IngestDeps } from "../deps";

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
    ),
  ]);
}

async function check(run: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(run());
    return "ok";
  } catch (error) {
    return `unavailable: ${(error as Error).message.split("\n")[0]}`;
  }
}

@Controller()
export class HealthController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  /** The process is up. */
  @Get("healthz")
  health(): z.infer<typeof healthSchema> {
    return { status: "ok" };
  }

  /** Ready to take events: Redis and Postgres both answer. */
  @Get("readyz")
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.infer<typeof readySchema> | z.infer<typeof notReadySchema>> {
    const [redis, postgres] = await Promise.all([
      check(() => this.deps.redis.ping()),
      check(() => this.deps.prisma.$queryRaw`SELECT 1`),
    ]);
    if (redis === "ok" && postgres === "ok") return { status: "ok", redis, postgres };
    void reply.status(503).header("retry-after", String(RETRY_AFTER_SECONDS));
    return { error: "unavailable", message: `redis: ${redis}; postgres: ${postgres}`, redis, postgres };
  }
}
