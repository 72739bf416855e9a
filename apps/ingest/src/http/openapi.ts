import { OpenApiGeneratorV31, OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { API_ROUTES, apiErrorSchema } from "@pulse/core/api";

/** The errors any route may answer besides its own (docs/api.md's table says when). */
const COMMON_ERRORS: Record<number, string> = {
  400: "A field is missing or wrong (the message names it), or the body is not JSON",
  401: "Token missing or wrong (PULSE_TOKEN is set)",
  403: "Another site's page, or a Host that is not allowed",
  404: "Unknown session or route",
  413: "Body over the limit, as sent or inflated",
  429: "Too many costly requests at once (Retry-After)",
  503: "Redis or Postgres unavailable (Retry-After)",
};

/** `/v1/sessions/:id` → `/v1/sessions/{id}` */
export const toOpenApiPath = (fastifyPath: string) => fastifyPath.replace(/:([A-Za-z_]+)/g, "{$1}");

/**
 * The OpenAPI 3.1 document of every ingest route, generated from the contract's schemas
 * (packages/core/src/api) with @asteasolutions/zod-to-openapi: what the controllers validate with
 * is what the document says.
 */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "PULSE_TOKEN, when the server has one",
  });
  for (const route of API_ROUTES) {
    const errors = Object.fromEntries(
      Object.entries(COMMON_ERRORS).map(([status, description]) => [
        status,
        { description, content: { "application/json": { schema: apiErrorSchema } } },
      ]),
    );
    const other = Object.fromEntries(
      Object.entries(route.otherReplies ?? {}).map(([status, reply]) => [
        status,
        { description: reply.description, content: { "application/json": { schema: reply.schema } } },
      ]),
    );
    registry.registerPath({
      method: route.method.toLowerCase() as "get" | "post" | "put" | "delete",
      path: toOpenApiPath(route.path),
      summary: route.summary,
      tags: [route.tag],
      security: route.open ? [] : [{ bearer: [] }],
      request: {
        params: route.params,
        query: route.query,
        body: route.body && {
          required: true,
          content: {
            "application/json": { schema: route.body.schema },
            ...(route.body.protobuf
              ? { "application/x-protobuf": { schema: { type: "string", contentMediaType: "application/x-protobuf" } } }
              : {}),
          },
        },
      },
      responses: {
        [route.status]: {
          description: "Success",
          content: {
            ...(route.replyType
              ? { [route.replyType]: { schema: { type: "string", description: route.summary } } }
              : { "application/json": { schema: route.reply } }),
            ...(route.body?.protobuf
              ? { "application/x-protobuf": { schema: { type: "string", contentMediaType: "application/x-protobuf" } } }
              : {}),
          },
        },
        ...errors,
        ...other,
      },
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Pulse ingest API",
      version,
      description: "Events in (agent hooks, normalised events, OTLP), sessions and stats out. See docs/api.md.",
    },
    servers: [{ url: "http://127.0.0.1:6820" }],
  }) as unknown as Record<string, unknown>;
}
