import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../../../../test/env";
import { startStack, type TestStack } from "../../../../test/stack";
import { assertBuilt, fixture, runCli, Sandbox } from "../test-support/cli-process";
import { closeRestartedIngests, getJson, restartIngest } from "../test-support/ingest-control";

// Issue 10, item 3: an event ingest refuses must never block the spool behind it. A body nested
// thousands of levels deep (a tool's output, say) used to get a 503 for its whole group-commit write
// and stay spooled, first in line, so every later event of that user stayed spooled too.

let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "clireject", env: { SESSION_STALE_TIMEOUT_MINUTES: "1000" } });
});
afterAll(async () => {
  await closeRestartedIngests();
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

function payload(name: string, sessionId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...JSON.parse(fixture(`claude-code/${name}.json`)), session_id: sessionId, ...extra });
}

const hook = (input: string) =>
  // The whole network budget for each answer (PULSE_HOOK_ANSWER_MS): these tests are about which
  // events are delivered or set aside, not about a hook giving up on a slow in-process ingest.
  runCli(["hook"], {
    input,
    env: sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1", PULSE_HOOK_ANSWER_MS: "900" }),
  });

describe("the spool and an event ingest refuses", () => {
  it("a deeply nested event spooled during an outage is moved to rejected with ingest's reason, and every event after it is delivered", async () => {
    const id = "spool-deep";
    await stack.ingest.close();
    try {
      const deep = payload("post-tool-use", id, { tool_use_id: "toolu_deep", tool_input: "__DEEP__" }).replace(
        '"__DEEP__"',
        "[".repeat(5_000) + "1" + "]".repeat(5_000),
      );
      for (const input of [payload("session-start", id), deep, payload("user-prompt-submit", id)]) {
        expect(await hook(input)).toMatchObject({ code: 0, stdout: "", stderr: "" });
        await new Promise((r) => setTimeout(r, 5)); // distinct spool times: delivered in this order
      }
      expect(sandbox.spoolFiles()).toHaveLength(3);
    } finally {
      await restartIngest(stack);
    }
    await waitFor(async () => (await fetch(`${stack.url}/readyz`)).ok, { what: "ingest back" });

    const next = await hook(payload("stop", id));
    expect(next).toMatchObject({ code: 0, stderr: "" });
    expect(sandbox.spoolFiles()).toEqual([]);
    const rejected = readdirSync(join(sandbox.pulseHome, "rejected"));
    expect(rejected.filter((n) => n.endsWith(".json"))).toHaveLength(1);
    const reason = readFileSync(
      join(
        sandbox.pulseHome,
        "rejected",
        rejected.find((n) => n.endsWith(".reason.txt"))!,
      ),
      "utf8",
    );
    expect(reason).toBe(
      "ingest refused the event (400: the body nests deeper than 100 levels of arrays and objects)\n",
    );
    expect(sandbox.hookLog()).toMatch(
      /ingest refused the event \(400: the body nests deeper than 100 levels of arrays and objects\); kept in .*rejected/,
    );
    const session = await waitFor(
      async () => {
        const r = await getJson(stack.url, `/v1/sessions/${id}`);
        return r.status === 200 && r.body.event_count === 3 ? r.body : undefined;
      },
      { timeoutMs: 15_000, what: "the three other events applied" },
    );
    expect(session.status).toBe("waiting");
  });
});
