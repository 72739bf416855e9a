import { readFileSync } from "node:fs";
import path from "node:path";
import { Controller, Get } from "@nestjs/common";
import { buildOpenApiDocument } from "../http/openapi";

/**
 * The API's OpenAPI 3.1 document, generated from the schemas the controllers validate with. Behind
 * the token like every route but the health checks: it holds no data, but deny-by-default keeps the
 * one allow-list (open-routes.ts) to what orchestrators need.
 */
@Controller()
export class OpenApiController {
  private document: Record<string, unknown> | undefined;

  @Get("openapi.json")
  openapi(): Record<string, unknown> {
    // Built on first use (tens of ms), not at boot: most ingest processes are never asked.
    this.document ??= buildOpenApiDocument(
      JSON.parse(readFileSync(path.join(__dirname, "../../package.json"), "utf8")).version,
    );
    return this.document;
  }
}
