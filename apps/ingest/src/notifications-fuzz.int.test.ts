/**
 * The notification routes fuzzed with bodies shaped like theirs and made wrong (the route-wide fuzzer
 * sends them generic bodies only, which never get past the first field): never a 5xx, every refusal
 * `{error, message}`, every answer within 2 s. A refinement that threw on a URL that did not parse
 * (a 500) is what this found.
 */
import fc from "fast-check";
import { bodyFrom } from "../../../test/fuzz/bodies";
import { fillPattern } from "../../../test/fuzz/requests";
import { type FuzzReply, send } from "../../../test/fuzz/send";
import { hostileUrlPart } from "../../../test/fuzz/values";
import { startStack, type TestStack } from "../../../test/stack";

const RUNS = 150 * Number(process.env.PULSE_FUZZ_RUNS ?? 1);
const ANSWER_BOUND_MS = 2_000;
let stack: TestStack;

// No workers: a channel the fuzzer manages to add is never sent to (its host could be anywhere).
beforeAll(async () => {
  stack = await startStack({ label: "notiffuzz", workers: false });
});
afterAll(() => stack?.stop());

const CHANNELS = [
  {
    name: "fuzz ntfy",
    type: "ntfy",
    url: "https://ntfy.invalid/topic",
    token: "tk_x",
    reasons: ["permission", "idle"],
    projects: ["pulse"],
    agents: ["codex"],
    settle_seconds: 30,
    notify_resolved: true,
    idle_minutes: 15,
    enabled: false,
  },
  { name: "fuzz push", type: "webpush", url: "https://push.invalid/x", push_keys: { p256dh: "k", auth: "a" } },
];
const SETTINGS = [
  { settle_seconds: 5, quiet_hours: { start: "22:00", end: "07:00", time_zone: "Europe/Paris" } },
  { quiet_hours: null },
];

function problemWith(reply: FuzzReply): string | null {
  if (reply.timedOut) return "no answer";
  if (reply.status >= 500 || reply.status === 0) return `answered ${reply.status}: ${reply.body.slice(0, 300)}`;
  if (reply.ms > ANSWER_BOUND_MS) return `answered after ${Math.round(reply.ms)} ms`;
  if (reply.status >= 400) {
    try {
      const body = JSON.parse(reply.body);
      if (typeof body.error !== "string" || typeof body.message !== "string")
        return `not {error, message}: ${reply.body}`;
    } catch {
      return `not JSON: ${reply.body.slice(0, 200)}`;
    }
  }
  return null;
}

async function fuzz(method: string, target: fc.Arbitrary<string>, templates: unknown[] | null) {
  const body = templates ? fc.option(bodyFrom(templates), { freq: 8, nil: undefined }) : fc.constant(undefined);
  await fc.assert(
    fc.asyncProperty(target, body, async (path, generated) => {
      const reply = await send(
        stack.url,
        { method, target: path, headers: generated?.headers ?? [], body: generated?.body },
        ANSWER_BOUND_MS * 3,
      );
      const problem = problemWith(reply);
      if (problem)
        throw new Error(`${problem} ← ${method} ${path} ${generated?.body.toString("latin1").slice(0, 300)}`);
    }),
    { numRuns: RUNS, verbose: 0 },
  );
}

describe("notification routes under fuzzed input", () => {
  // First, while there is no channel: a test that names none answers at once.
  it("POST /v1/notifications/test", () =>
    fuzz("POST", fc.constant("/v1/notifications/test"), [{ channel: "fuzz ntfy" }, { channel: "ch_nobody" }]));
  it("POST /v1/notifications/channels", () => fuzz("POST", fc.constant("/v1/notifications/channels"), CHANNELS));
  it("PUT /v1/notifications/settings", () => fuzz("PUT", fc.constant("/v1/notifications/settings"), SETTINGS));
  it("DELETE /v1/notifications/channels/:id", () =>
    fuzz(
      "DELETE",
      fillPattern("/v1/notifications/channels/:id", () => hostileUrlPart),
      null,
    ));
  it("GET /v1/notifications/channels and settings still answer what they hold", async () => {
    for (const path of ["/v1/notifications/channels", "/v1/notifications/settings"]) {
      const reply = await fetch(stack.url + path);
      expect([path, reply.status]).toEqual([path, 200]);
    }
  });
});
