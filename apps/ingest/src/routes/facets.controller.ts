import { Controller, Get, Inject } from "@nestjs/common";
import type { FacetsJson } from "@pulse/core/api";
import { getFacets } from "@pulse/sessions";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/** What the dashboard's and the CLI's filters can offer: every project and source, with counts. */
@Controller("v1/facets")
export class FacetsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Get()
  facets(): Promise<FacetsJson> {
    return getFacets(this.deps.prisma);
  }
}
