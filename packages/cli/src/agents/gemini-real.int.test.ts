import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startGeminiMock } from "../../../../test/agents/mock-model/gemini";
import type { MockModelServer } from "../../../../test/agents/mock-model/http-server";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, runCli, runProcess, Sandbox } from "../test-support/cli-process";
import { getJson } from "../test-support/ingest-control";

/**
 * The released Gemini CLI (0.61, a devDependency) against a mock model, hooks installed by
 * `pulse hooks install` in a private HOME, headless (`gemini -p`) in a trusted folder.
 */
const BIN = resolve(__dirname, "../../../../node_modules/.bin");

let stack: TestStack;
let model: MockModelServer;
let sandbox: Sandbox;
let project: string;

beforeAll(async () => {
  assertBuilt();
  [stack, model] = await Promise.all([startStack({ label: "cligemini" }), startGeminiMock()]);
});
afterAll(async () => {
  await model?.close();
  await stack?.stop();
});
beforeEach(async () => {
  sandbox = new Sandbox();
  project = join(sandbox.root, "project");
  mkdirSync(project, { recursive: true });
  const gemini = join(sandbox.home, ".gemini");
  mkdirSync(gemini, { recursive: true });
  // Hooks run only in trusted folders; an API key needs its auth type chosen, or headless mode stops.
  writeFileSync(join(gemini, "trustedFolders.json"), JSON.stringify({ [project]: "TRUST_FOLDER" }));
  writeFileSync(
    join(gemini, "settings.json"),
    JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }),
  );
  const install = await runCli(["hooks", "install", "--agent", "gemini"], { env: sandbox.env() });
  expect(install.code).toBe(0);
});
afterEach(() => sandbox.cleanup());

const geminiEnv = (extra: Record<string, string> = {}) =>
  sandbox.env({
    GEMINI_API_KEY: "test-key",
    GOOGLE_GEMINI_BASE_URL: model.url,
    PATH: `${BIN}:${process.env.PATH}`,
    PULSE_NO_WATCH: "1",
    ...extra,
  });

/** Adds a hook of the user's own to settings.json, next to Pulse's. */
function addForeignHook(event: string, command: string): void {
  const path = join(sandbox.home, ".gemini", "settings.json");
  const settings = JSON.parse(readFileSync(path, "utf8"));
  settings.hooks[event].push({ hooks: [{ name: "canary", type: "command", command, timeout: 5000 }] });
  writeFileSync(path, JSON.stringify(settings, null, 2));
}

async function sessionsOfGemini(): Promise<any[]> {
  return (await getJson(stack.url, "/v1/sessions?source=gemini&limit=50")).body.items;
}

describe("pulse hook under the real Gemini CLI", () => {
  it("prints nothing Gemini shows the user, even with Pulse down; the events wait in the spool", async () => {
    // The control: Gemini does show a hook's stderr (when its stdout is empty), so a Pulse line would show too.
    addForeignHook("AfterAgent", "echo canary-on-stderr >&2");
    const run = await runProcess(join(BIN, "gemini"), ["-p", "say hi"], {
      cwd: project,
      env: geminiEnv({ PULSE_URL: "http://127.0.0.1:1" }),
      timeoutMs: 90_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("OK, done.");
    expect(run.stderr).toContain("Hook system message: canary-on-stderr");
    expect(run.stderr).not.toContain("pulse:");
    for (const line of run.stderr.split("\n").filter((l) => l.includes("Hook system message")))
      expect(line).toContain("canary-on-stderr");
    expect(sandbox.spoolFiles().length).toBeGreaterThanOrEqual(4); // SessionStart, BeforeAgent, AfterAgent, SessionEnd…
    expect(sandbox.hookLog()).toMatch(/ingest unreachable at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);

    const flush = await runCli(["spool", "flush"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    expect(flush.code).toBe(0);
    const [session] = await waitFor(
      async () => {
        const items = (await sessionsOfGemini()).filter((s) => s.cwd === project);
        return items.length === 1 && items[0].status === "ended" ? items : undefined;
      },
      { what: "the spooled Gemini session" },
    );
    expect(session.end_reason).toBe("session_end");
  });
});

describe("pulse run -- gemini with Pulse's Gemini hooks installed", () => {
  it("is one session, Gemini's own", async () => {
    const run = await runCli(["run", "--", "gemini", "-p", "say hi"], {
      cwd: project,
      env: geminiEnv({ PULSE_URL: stack.url }),
      timeoutMs: 90_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("OK, done.");
    await new Promise((r) => setTimeout(r, 500)); // a second session would be in by now
    const mine = await waitFor(
      async () => {
        const items = (await sessionsOfGemini()).filter(
          (s) => s.cwd === project || (s.title ?? "").includes("gemini -p"),
        );
        return items.length > 0 && items.every((s) => s.status === "ended") ? items : undefined;
      },
      { what: "the run's sessions to end" },
    );
    // Both a wrapper session (titled "gemini -p say hi", in this folder) and Gemini's would be listed.
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ cwd: project, title: "say hi", end_reason: "session_end" });
  });
});
