/**
 * Pulse issue 10 (leftover): `/v1/events` and `/v1/hooks/:agent` refuse with 400 whatever the events
 * worker's job schema (packages/queues, re-checked by parseJobData) would refuse, so "accepted at the
 * edge" means "applied". Generated events, with hostile fields and delivery headers: every 202 is
 * applied without a failed job; every refusal is a 400 {error, message}.
 */
import { QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import fc from "fast-check";
import { Redis } from "ioredis";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";

let stack: TestStack;
let redis: Redis;
let events: Queue;
beforeAll(async () => {
  stack = await startStack({ label: "edgeworker", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
  redis = new Redis(stack.env.redisUrl, { maxRetriesPerRequest: null });
  events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: stack.env.redisPrefix });
});
afterAll(async () => {
  await events?.close();
  await redis?.quit();
  await stack?.stop();
});

/** Text a field may hold, and text the worker's schema refuses somewhere: control characters, tabs, lone surrogates, lengths past each limit. */
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", " ", "\t", "a\tb", "a\u0000b", "\ud83d", "x\u007f", "é", "__proto__", "line\nbreak"),
  fc.integer({ min: 60, max: 5000 }).map((n) => "y".repeat(n)),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const headerText = fc.oneof(
  fc.constantFrom("a\tb", "key\twith tab", "ok-key", " padded ", "z".repeat(201), "2026-11-21T10:00:00Z", "1e20", "-1"),
  fc.stringMatching(/^[\x20-\x7e]{1,40}$/),
);
const headers = fc.record(
  { "idempotency-key": maybe(headerText), "x-pulse-host": maybe(headerText), "x-pulse-event-time": maybe(headerText) },
  { requiredKeys: [] },
);

const eventBody = fc.record(
  {
    session_id: fc.oneof(text, fc.constant("edge-session")),
    source: fc.oneof(text, fc.constant("test")),
    kind: fc.constantFrom("start", "prompt", "tool", "activity", "turn_end", "attention", "end", "span", "nap"),
    name: maybe(text),
    time: maybe(
      fc.oneof(
        fc.integer(),
        fc.double(),
        fc.constantFrom("2026-11-21T10:00:00Z", "not a time", "1e308", 8.64e15, -8.64e15),
      ),
    ),
    id: maybe(text),
    cwd: maybe(text),
    project: maybe(text),
    host: maybe(text),
    detail: maybe(text),
    tool: maybe(text),
    title: maybe(text),
    waiting_reason: maybe(text),
    end_reason: maybe(fc.constantFrom("session_end", "process_exit", "stale")),
    end_detail: maybe(text),
  },
  { requiredKeys: ["session_id", "source", "kind"] },
);
/** Claude Code hook inputs, as its hooks write them, with hostile fields. */
const hookBody = fc.record({
  session_id: fc.oneof(text, fc.constant("edge-hook")),
  hook_event_name: fc.constantFrom(
    "UserPromptSubmit",
    "PreToolUse",
    "Stop",
    "Notification",
    "SessionEnd",
    "SomethingNew",
  ),
  cwd: fc.oneof(text, fc.constant("/tmp")),
  prompt: maybe(text),
  tool_name: maybe(text),
  message: maybe(text),
});
const request = fc.oneof(
  fc.record({
    route: fc.constant("/v1/events"),
    body: fc.oneof(eventBody, fc.array(eventBody, { minLength: 1, maxLength: 3 })),
    headers,
  }),
  fc.record({ route: fc.constant("/v1/hooks/claude-code"), body: hookBody, headers }),
);

/** Half a surrogate pair is stored as U+FFFD (docs/api.md), as Postgres cannot hold it. */
const stored = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
/** The session ids a 202 promised to apply (ingest trims them). */
const sessionsOf = (body: unknown): string[] =>
  (Array.isArray(body) ? body : [body]).map((e: any) => stored(String(e.session_id).trim()));

describe("accepted at the edge ⇔ passes the worker's schema", () => {
  it("every generated event and hook input is either refused with 400, or applied without a failed job", async () => {
    const api = client(stack.url);
    const accepted = new Set<string>();
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async ({ route, body, headers: h }) => {
        const sent = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const reply = await api.post(route, body, sent);
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        if (reply.status === 202) {
          if (reply.body.accepted > 0) for (const id of sessionsOf(body)) accepted.add(id);
          return;
        }
        expect([reply.status, reply.body]).toEqual([400, { error: expect.any(String), message: expect.any(String) }]);
      }),
      { numRuns: 400, seed: 11 },
    );
    // The known trap: a tab in Idempotency-Key (HTTP allows it in a header value) made a key the worker refuses.
    const tab = await api.post(
      "/v1/events",
      { session_id: "tab-key", source: "test", kind: "prompt" },
      { "idempotency-key": "a\tb" },
    );
    expect(tab.body).toEqual({
      error: "invalid_request",
      message: "Idempotency-Key: must not contain control characters",
    });
    expect(statuses[202]).toBeGreaterThan(20);
    expect(statuses[400]).toBeGreaterThan(20);
    await waitFor(
      async () => {
        const counts = await events.getJobCounts("waiting", "active", "delayed", "prioritized");
        return Object.values(counts).every((n) => n === 0) ? true : undefined;
      },
      { what: "the events queue to drain" },
    );
    const failed = (await events.getFailed(0, 5)).map(
      (j) => `${j.failedReason} ← ${JSON.stringify(j.data).slice(0, 1000)}`,
    );
    expect(failed).toEqual([]);
    for (const id of accepted) {
      const reply = await api.get(`/v1/sessions/${encodeURIComponent(id)}`);
      expect([id, reply.status, reply.status === 200 ? "" : reply.body]).toEqual([id, 200, ""]);
    }
  }, 180_000);
});
