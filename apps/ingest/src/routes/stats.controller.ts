import { Controller, Get, Inject } from "@nestjs/common";
import { getStats } from "@pulse/sessions";
import { INGEST_DEPS, type IngestDeps } from "../deps";

@Controller("v1/stats")
export class StatsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Get()
  stats() {
    return getStats(this.deps.prisma, this.deps.now());
  }
}
