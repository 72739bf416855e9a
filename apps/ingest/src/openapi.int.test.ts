/**
 * Pulse issue 11, "the HTTP contract, executable": /openapi.json is served, validates, and lists
 * exactly the routes Fastify registered; what the GET routes answer parses with their schemas; and
 * docs/api.md names exactly the documented routes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { API_ROUTES } from "@pulse/core/api";
import { z } from "zod";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";
import { toOpenApiPath } from "./http/openapi";
import { validateOpenApi } from "./test-support/openapi-validator";

const TOKEN = "openapi-token";
let stack: TestStack;
const api = () => client(stack.url, { authorization: `Bearer ${TOKEN}` });

beforeAll(async () => {
  stack = await startStack({ label: "openapi", env: { PULSE_TOKEN: TOKEN } });
});
afterAll(() => stack?.stop());

/** The routes Nest and Fastify registered that are the API's: not the queue board's (Bull Board's own API), not automatic HEADs. */
const registered = () =>
  [
    ...new Set(
      stack.ingest.routes
        .filter((r) => r.method !== "HEAD" && !r.url.startsWith("/queues"))
        .map((r) => `${r.method} ${toOpenApiPath(r.url)}`),
    ),
  ].sort();

describe("GET /openapi.json", () => {
  it("needs the token like every route but the health checks, and is a valid OpenAPI 3.1 document", async () => {
    expect((await client(stack.url).get("/openapi.json")).status).toBe(401);
    const reply = await api().get("/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe("3.1.0");
    expect(validateOpenApi(reply.body)).toMatchObject({ valid: true });
  });

  it("lists every route Fastify registered, and no other", async () => {
    const document = (await api().get("/openapi.json")).body;
    const listed = Object.entries(document.paths as Record<string, object>).flatMap(([p, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(registered().length).toBeGreaterThan(15);
    expect(listed.sort()).toEqual(registered());
  });

  it("what each GET route answers parses with its schema, key for key", async () => {
    const http = api();
    expect(
      (await http.post("/v1/events", { session_id: "contract", source: "test", kind: "prompt", detail: "hello" }))
        .status,
    ).toBe(202);
    await waitFor(async () => (await http.get("/v1/sessions/contract")).status === 200, { what: "the session" });
    const concrete = (p: string) => p.replace(":id", "contract");
    for (const route of API_ROUTES.filter((r) => r.method === "GET" && r.path !== "/openapi.json" && !r.replyType)) {
      const reply = await http.get(
        concrete(route.path) + (route.path === "/v1/stats" ? "?since=2020-01-01T00:00:00Z" : ""),
      );
      expect([route.path, reply.status]).toEqual([route.path, route.status]);
      const parsed = route.reply.safeParse(reply.body);
      expect([route.path, parsed.success ? "ok" : parsed.error.issues]).toEqual([route.path, "ok"]);
      // Nothing answered that the schema does not name (a field added to a query and not to the contract).
      if (route.reply instanceof z.ZodObject)
        expect([route.path, Object.keys(reply.body).sort()]).toEqual([
          route.path,
          Object.keys(route.reply.shape).sort(),
        ]);
    }
    const session = (await http.get("/v1/sessions/contract")).body;
    const { sessionWithEventsSchema } = await import("@pulse/core/api");
    expect(Object.keys(session).sort()).toEqual(Object.keys(sessionWithEventsSchema.shape).sort());
  });
});

describe("docs/api.md", () => {
  it("names every route of the document in its headings and text, and no route the API does not have", () => {
    const doc = readFileSync(path.join(__dirname, "../../../docs/api.md"), "utf8");
    // `GET /v1/sessions?status=…`, `POST /v1/sessions/:id/close`: the method, the path up to its query.
    const named = [...doc.matchAll(/`(GET|POST|PUT|DELETE) (\/[^`?\s[]*)/g)].map(
      ([, method, p]) => `${method} ${toOpenApiPath(p)}`,
    );
    const documented = new Set(named.filter((r) => !r.includes(" /queues")));
    expect([...documented].sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${toOpenApiPath(r.path)}`).sort());
  });
});
