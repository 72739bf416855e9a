// `pulse sessions show` and `pulse stats` with a Codex session that reported tokens but no cost (the
// real Codex 0.171 OTLP export): the estimate is printed marked as one, on a line / in a column of its
// own, and the reported cost stays what the agent reported.
import { readFileSync } from "node:fs";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, FIXTURES, runCli, Sandbox } from "../test-support/cli-process";
import { getJson, postJson } from "../test-support/ingest-control";

const REAL_CODEX = "01a2335f-bdbf-7423-900b-61b1c4e95aa6";
const ID = "01a2335f-bdbf-7423-900b-61b1c4e9cafe";

let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "cliest" });
  sandbox = new Sandbox();
  // The export as Codex sent it, for a session of this test's own; its records carry observed times
  // of the capture day, moved to now so they fall in the 24 h window and today's row.
  const body = JSON.parse(
    readFileSync(`${FIXTURES}/real/codex-0.171.0/otlp/body-00240-logs.json`, "utf8").replaceAll(REAL_CODEX, ID),
  );
  const now = BigInt(Date.now() - 60_000) * 1_000_000n;
  for (const r of body.resourceLogs[0].scopeLogs.flatMap((s: any) => s.logRecords))
    r.observedTimeUnixNano = String(now);
  expect((await postJson(stack.url, "/v1/logs", body)).status).toBe(200);
  await waitFor(async () => (await getJson(stack.url, `/v1/sessions/${ID}`)).body?.input_tokens === 2700, {
    what: "the Codex session's tokens",
  });
});
afterAll(async () => {
  sandbox?.cleanup();
  await stack?.stop();
});

const cli = (args: string[]) => runCli(args, { env: sandbox.env({ PULSE_URL: stack.url, TZ: "UTC" }) });

test("sessions show: the estimate on its own line, marked; no reported cost made up", async () => {
  const session = (await getJson(stack.url, `/v1/sessions/${ID}`)).body;
  expect(session.cost_usd).toBe(0);
  expect(session.estimated_cost_usd).toBeGreaterThan(0);
  const shown = await cli(["sessions", "show", ID]);
  expect(shown.code).toBe(0);
  const cents =
    session.estimated_cost_usd < 0.01
      ? "<\\$0\\.01"
      : `\\$${session.estimated_cost_usd.toFixed(2).replace(".", "\\.")}`;
  expect(shown.stdout).toMatch(
    new RegExp(
      `^Estimated cost\\s+≈ ${cents} est\\. \\(estimated from tokens and the model's list price \\(genai-prices \\d+\\.\\d+\\.\\d+\\)`,
      "m",
    ),
  );
  expect(shown.stdout).not.toMatch(/^Cost\s/m);
});

test("stats: the 24 h estimate and a column of its own per day", async () => {
  const stats = await cli(["stats"]);
  expect(stats.code).toBe(0);
  expect(stats.stdout).toMatch(/^Cost, last 24 h: \$0\.00 reported, ≈ (<)?\$\d+\.\d\d est\.$/m);
  const today = new Date().toISOString().slice(0, 10);
  expect(stats.stdout).toMatch(
    new RegExp(`^${today}\\s+\\d+\\s+\\d+\\s+\\S+( \\S+)*\\s+\\$0\\.00\\s+≈ (<)?\\$\\d+\\.\\d\\d est\\.$`, "m"),
  );
  expect(stats.stdout).toContain("est. = estimated from tokens");
});
