// The longest session id Pulse accepts (SESSION_ID_MAX characters) can be read and closed through
// its URL, even when every character is percent-encoded: Fastify's router limits a path parameter's
// length (100 by default), which once made such sessions impossible to read or close.
import { SESSION_ID_MAX } from "@pulse/core";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";

let stack: TestStack;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startStack({ label: "longids" });
  api = client(stack.url);
});
afterAll(async () => {
  await stack.stop();
});

it.each([
  ["ASCII", "a".repeat(SESSION_ID_MAX)],
  ["3-byte characters (9 bytes each, percent-encoded)", "会".repeat(SESSION_ID_MAX)],
])("a session id of %s at the limit is read and closed through its URL", async (_label, id) => {
  expect(
    (await api.post("/v1/events", { session_id: id, source: "test", kind: "prompt", title: "long id" })).status,
  ).toBe(202);
  const path = `/v1/sessions/${encodeURIComponent(id)}`;
  const session = await waitFor(
    async () => {
      const r = await api.get(path);
      return r.status === 200 ? r.body : undefined;
    },
    { what: "the session" },
  );
  expect(session.id).toBe(id);
  expect((await api.post(`${path}/close`, {})).status).toBe(200);
  expect((await api.get(path)).body).toMatchObject({ status: "ended", end_reason: "closed" });
});
