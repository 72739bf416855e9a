import { API_ROUTES } from "@pulse/core/api";
import { validateOpenApi } from "../test-support/openapi-validator";
import { buildOpenApiDocument, toOpenApiPath } from "./openapi";

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument("test");

  it("is a valid OpenAPI 3.1 document", () => {
    const result = validateOpenApi(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("has every route of the contract, with its success answer, and nothing else", () => {
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const listed = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${toOpenApiPath(r.path)}`).sort());
    for (const route of API_ROUTES)
      expect(
        paths[toOpenApiPath(route.path)][route.method.toLowerCase()].responses[String(route.status)],
      ).toBeDefined();
  });

  it("describes the inputs: the sessions filter, the cleanup body, path parameters", () => {
    const paths = document.paths as Record<string, any>;
    const list = paths["/v1/sessions"].get;
    expect(list.parameters.map((p: any) => `${p.in}:${p.name}`).sort()).toEqual([
      "query:cursor",
      "query:limit",
      "query:project",
      "query:q",
      "query:source",
      "query:status",
    ]);
    expect(paths["/v1/sessions/{id}/close"].post.parameters).toEqual([
      expect.objectContaining({ in: "path", name: "id", required: true }),
    ]);
    const cleanup = paths["/v1/sessions/cleanup"].post.requestBody.content["application/json"].schema;
    expect(cleanup.required).toEqual(["older_than_minutes"]);
    const components = (document.components as any).schemas;
    expect(Object.keys(components)).toEqual(
      expect.arrayContaining(["Session", "SessionPage", "StatsReply", "ApiError", "EventInput"]),
    );
    expect(components.StatsReply.properties.failed_jobs).toBeDefined();
  });
});
