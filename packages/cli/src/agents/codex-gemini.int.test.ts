import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS as ADAPTERS } from "@pulse/core/agents";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, fixture, PULSE_JS, runCli, Sandbox } from "../test-support/cli-process";
import { getJson } from "../test-support/ingest-control";

let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "cliagents" });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

const CODEX_CONFIG = [
  'model = "gpt-5-codex"',
  'approval_policy = "on-request"',
  "",
  "# MCP servers",
  "[mcp_servers.docs]",
  'command = "docs-mcp"',
  "",
  "[features]",
  "web_search = true",
  "",
].join("\n");
const HOOK = `NODE_EXTRA_CA_CERTS= ${process.execPath} ${PULSE_JS} hook`;

describe("pulse hooks install --agent codex", () => {
  it("adds hooks.json and notify, keeps the rest of config.toml, is idempotent, and uninstalls cleanly", async () => {
    const dir = join(sandbox.home, ".codex");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.toml"), CODEX_CONFIG);
    const install = await runCli(["hooks", "install", "--agent", "codex"], { env: sandbox.env() });
    expect(install).toMatchObject({ code: 0, stderr: "" });
    expect(install.stdout).toContain("Installed Pulse's Codex hooks in ~/.codex/hooks.json");
    expect(install.stdout).toContain("Installed Pulse's Codex notify in ~/.codex/config.toml");
    expect(install.stdout).toContain("Codex runs new hooks only once you trust them");

    const hooks = JSON.parse(readFileSync(join(dir, "hooks.json"), "utf8"));
    // Every event the adapter lists (what Codex 0.171 fires), SessionEnd, Interrupt and StopFailure included.
    expect(Object.keys(hooks.hooks)).toEqual([...ADAPTERS.codex.hookEvents]);
    expect(Object.keys(hooks.hooks)).toEqual(
      expect.arrayContaining(["PermissionRequest", "Interrupt", "SessionEnd", "StopFailure"]),
    );
    expect(hooks.hooks.Stop).toEqual([{ hooks: [{ type: "command", command: `${HOOK} --agent codex`, timeout: 5 }] }]);
    const toml = readFileSync(join(dir, "config.toml"), "utf8");
    expect(toml).toBe(
      CODEX_CONFIG.replace(
        "\n# MCP servers",
        `\nnotify = ["/usr/bin/env", "NODE_EXTRA_CA_CERTS=", "${process.execPath}", "${PULSE_JS}", "hook", "--agent", "codex"]\n\n# MCP servers`,
      ),
    );

    const again = await runCli(["hooks", "install", "--agent", "codex"], { env: sandbox.env() });
    expect(again.stdout).toContain("already installed");
    const status = JSON.parse(
      (await runCli(["hooks", "status", "--agent", "codex", "--json"], { env: sandbox.env(), cwd: sandbox.root }))
        .stdout,
    );
    expect(status.filter((s: any) => s.scope === "user").map((s: any) => [s.what, s.complete, s.problems])).toEqual([
      ["hooks", true, []],
      ["notify", true, []],
    ]);

    const removed = await runCli(["hooks", "uninstall", "--agent", "codex"], { env: sandbox.env() });
    expect(removed.code).toBe(0);
    expect(readFileSync(join(dir, "config.toml"), "utf8")).toBe(CODEX_CONFIG);
    expect(JSON.parse(readFileSync(join(dir, "hooks.json"), "utf8"))).toEqual({});
  });

  it("follows CODEX_HOME, and leaves a notify program of the user's own in place", async () => {
    const codexHome = join(sandbox.root, "codex-home");
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(join(codexHome, "config.toml"), 'notify = ["terminal-notifier", "-title", "Codex"]\n');
    const result = await runCli(["hooks", "install", "--agent", "codex"], {
      env: sandbox.env({ CODEX_HOME: codexHome }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("has a notify program of its own; left as it is");
    expect(readFileSync(join(codexHome, "config.toml"), "utf8")).toBe(
      'notify = ["terminal-notifier", "-title", "Codex"]\n',
    );
    expect(JSON.parse(readFileSync(join(codexHome, "hooks.json"), "utf8")).hooks.SessionStart).toHaveLength(1);
  });

  it("--dry-run shows both files' diffs and writes nothing", async () => {
    const result = await runCli(["hooks", "install", "--agent", "codex", "--dry-run"], { env: sandbox.env() });
    expect(result.stdout).toContain("--- ~/.codex/hooks.json (now)");
    expect(result.stdout).toContain("--- ~/.codex/config.toml (now)");
    expect(result.stdout).toContain('+notify = ["/usr/bin/env"');
    expect(sandbox.spoolFiles()).toEqual([]);
    expect(() => readFileSync(join(sandbox.home, ".codex", "hooks.json"))).toThrow();
  });
});

describe("pulse hooks install --agent gemini", () => {
  it("merges Gemini hooks (timeouts in ms) next to the user's own settings", async () => {
    const dir = join(sandbox.home, ".gemini");
    mkdirSync(dir, { recursive: true });
    const own = {
      theme: "GitHub",
      hooks: {
        BeforeTool: [{ matcher: "write_file", hooks: [{ name: "guard", type: "command", command: "guard.sh" }] }],
      },
    };
    writeFileSync(join(dir, "settings.json"), JSON.stringify(own, null, 2));
    expect((await runCli(["hooks", "install", "--agent", "gemini"], { env: sandbox.env() })).code).toBe(0);
    const settings = JSON.parse(readFileSync(join(dir, "settings.json"), "utf8"));
    expect(settings.theme).toBe("GitHub");
    expect(Object.keys(settings.hooks)).toEqual([
      "BeforeTool",
      ...ADAPTERS.gemini.hookEvents.filter((e) => e !== "BeforeTool"),
    ]);
    expect(settings.hooks.BeforeTool).toEqual([
      own.hooks.BeforeTool[0],
      { hooks: [{ name: "pulse", type: "command", command: `${HOOK} --agent gemini`, timeout: 5000 }] },
    ]);
    await runCli(["hooks", "uninstall", "--agent", "gemini"], { env: sandbox.env() });
    expect(JSON.parse(readFileSync(join(dir, "settings.json"), "utf8"))).toEqual(own);
  });
});

describe("pulse hook --agent codex|gemini", () => {
  const session = async (id: string) => {
    const r = await getJson(stack.url, `/v1/sessions/${id}`);
    return r.status === 200 ? r.body : undefined;
  };

  it("delivers Codex hook input (stdin) and notify payloads (last argument), counting a turn end once", async () => {
    const id = "0199a2f4-6c1e-7b30-9d5a-3e8f1c2b4a77";
    const env = sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1" });
    for (const name of ["hook-session-start", "hook-pre-tool-use", "hook-stop"]) {
      const result = await runCli(["hook", "--agent", "codex"], { input: fixture(`codex/${name}.json`), env });
      expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    }
    // Codex runs notify without stdin input: the payload is the last argument.
    const notify = await runCli(["hook", "--agent", "codex", fixture("codex/notify-agent-turn-complete.json")], {
      env,
    });
    expect(notify).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const s = await waitFor(
      async () => {
        const current = await session(id);
        return current?.event_count === 3 ? current : undefined;
      },
      { what: "3 events" },
    );
    await new Promise((r) => setTimeout(r, 300)); // a duplicate turn end would land by now
    expect((await session(id)).event_count).toBe(3);
    expect(s).toMatchObject({ source: "codex", status: "waiting", waiting_reason: "turn_end", project: "billing-svc" });
  });

  it("delivers Gemini hook input with Gemini's own timestamps as event times", async () => {
    const env = sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1" });
    for (const name of ["session-start", "notification-tool-permission", "session-end"]) {
      expect((await runCli(["hook", "--agent", "gemini"], { input: fixture(`gemini/${name}.json`), env })).stderr).toBe(
        "",
      );
    }
    const s = await waitFor(
      async () => {
        const current = await session("b7d1c2e3-4f5a-4b6c-8d9e-0f1a2b3c4d5e");
        return current?.status === "ended" ? current : undefined;
      },
      { what: "the Gemini session to end" },
    );
    expect(s).toMatchObject({
      source: "gemini",
      started_at: "2026-11-21T10:02:11.412Z",
      ended_at: "2026-11-21T10:31:05.900Z",
      end_reason: "session_end",
      end_detail: "exit",
    });
  });
});
