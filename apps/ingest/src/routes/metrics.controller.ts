import { Controller, Get, Header, Inject, Res } from "@nestjs/common";
import type { FastifyReply } from "fastify";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/**
 * Prometheus' scrape (docs/metrics.md). Needs the token when PULSE_TOKEN is set, like every route
 * but the health checks. Always 200 once the token passes: a backend that cannot be read shows as
 * `pulse_scrape_up{part} 0`, so an outage is a value to alert on rather than a failed scrape.
 */
@Controller("metrics")
export class MetricsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Get()
  @Header("cache-control", "no-store")
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header("content-type", this.deps.metrics.contentType);
    return this.deps.metrics.scrape();
  }
}
