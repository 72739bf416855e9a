import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startOpenAiMock } from "../../../../test/agents/mock-model/openai";
import type { MockModelServer } from "../../../../test/agents/mock-model/http-server";
import { waitFor } from "../../../../test/env";
import { startStack, type TestStack } from "../../../../test/stack";
import { assertBuilt, runCli, Sandbox } from "../test-support/cli-process";
import { getJson } from "../test-support/ingest-control";

/**
 * The released Codex CLI (0.171, a devDependency) against a mock model, hooks installed by `pulse
 * hooks install`. `pulse doctor`: Codex runs a hook only once the user trusted it, so "installed" is
 * not enough; trust is given the way a user gives it, in the TUI's startup dialog ("Trust all and
 * continue") driven through tmux. `pulse run -- codex exec`: one session.
 */
const BIN = resolve(__dirname, "../../../../node_modules/.bin");

let model: MockModelServer;
let sandbox: Sandbox;
let codexHome: string;
let project: string;

beforeAll(async () => {
  assertBuilt();
  model = await startOpenAiMock();
});
afterAll(async () => {
  await model?.close();
});
beforeEach(async () => {
  sandbox = new Sandbox();
  codexHome = join(sandbox.root, "codex");
  project = join(sandbox.root, "project");
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(codexHome, "config.toml"),
    [
      'model = "gpt-5-codex"',
      'model_provider = "mock"',
      "check_for_update_on_startup = false",
      "",
      "[model_providers.mock]",
      'name = "mock"',
      `base_url = "${model.url}/v1"`,
      'wire_api = "responses"',
      "requires_openai_auth = false",
      "supports_websockets = false",
      "",
      "[analytics]",
      "enabled = false",
      "",
      `[projects.${JSON.stringify(project)}]`,
      'trust_level = "trusted"',
      "",
    ].join("\n"),
  );
  expect((await runCli(["hooks", "install", "--agent", "codex"], { env: env() })).code).toBe(0);
});
afterEach(() => sandbox.cleanup());

function env(extra: Record<string, string> = {}) {
  return sandbox.env({
    CODEX_HOME: codexHome,
    PATH: `${BIN}:${process.env.PATH}`,
    PULSE_URL: "http://127.0.0.1:1",
    ...extra,
  });
}

async function trustCheck(extra: Record<string, string> = {}): Promise<Array<{ level: string; message: string }>> {
  const doctor = await runCli(["doctor", "--json"], { env: env(extra), cwd: project, timeoutMs: 30_000 });
  return JSON.parse(doctor.stdout).checks.filter((c: any) => c.name === "codex trust");
}

/** Starts the Codex TUI in tmux (one process: --no-daemon) and answers its hook review with "Trust all". */
async function trustInTui(): Promise<void> {
  const socket = `pulse-trust-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const vars = [
    ...Object.entries(env())
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`),
    "TERM=xterm-256color",
  ];
  tmux(
    "new-session",
    "-d",
    "-s",
    "codex",
    "-x",
    "200",
    "-y",
    "50",
    "-c",
    project,
    "env",
    "-i",
    ...vars,
    join(BIN, "codex"),
    "--no-daemon",
  );
  try {
    await waitFor(() => (tmux("capture-pane", "-p", "-t", "codex").includes("Hooks need review") ? true : undefined), {
      what: "Codex's hook review",
      timeoutMs: 20_000,
    });
    tmux("send-keys", "-t", "codex", "2");
    await new Promise((r) => setTimeout(r, 300));
    tmux("send-keys", "-t", "codex", "Enter");
    await waitFor(
      () => (readFileSync(join(codexHome, "config.toml"), "utf8").includes("trusted_hash") ? true : undefined),
      { what: "the trust in config.toml", timeoutMs: 10_000 },
    );
  } finally {
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
  }
}

describe("pulse doctor: are Pulse's Codex hooks trusted?", () => {
  it("fails on a fresh install (Codex runs no hook yet), passes once trusted, fails again when a command changed", async () => {
    const fresh = await trustCheck();
    expect(fresh.filter((c) => c.level === "fail")).toEqual([
      {
        name: "codex trust",
        level: "fail",
        message: expect.stringMatching(
          /^Codex does not run (\d+) of Pulse's \1 hooks \(not trusted yet: .*sessionStart.*\)$/,
        ),
        fix: expect.stringContaining("/hooks"),
      },
    ]);

    await trustInTui();
    const trusted = await trustCheck();
    expect(trusted).toContainEqual({
      name: "codex trust",
      level: "ok",
      message: expect.stringMatching(/^Codex trusts Pulse's \d+ hooks$/),
    });
    // Events Codex does not know are said, not warned (0.171 has no StopFailure, whatever the adapter lists).
    expect(trusted.every((c) => c.level === "ok")).toBe(true);
    for (const check of trusted.slice(1))
      expect(check.message).toMatch(
        /^this Codex does not know the hook event\(s\) .* and never runs them \(nothing to do\)$/,
      );

    // Any change of a hook's command line voids its trust without a word from Codex.
    const hooksPath = join(codexHome, "hooks.json");
    const hooks = JSON.parse(readFileSync(hooksPath, "utf8"));
    hooks.hooks.Stop[0].hooks[0].command += " ";
    writeFileSync(hooksPath, JSON.stringify(hooks, null, 2));
    const changed = await trustCheck();
    expect(changed.filter((c) => c.level === "fail")).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Codex does not run 1 of Pulse's \d+ hooks \(changed since trusted: stop\)$/),
      }),
    ]);
  });

  it("without codex on PATH, reads config.toml: no trust entry is a failure, an entry cannot be verified", async () => {
    const noCodex = { PATH: "/usr/bin:/bin" };
    expect(await trustCheck(noCodex)).toEqual([
      expect.objectContaining({
        level: "fail",
        message: expect.stringMatching(
          /^Codex does not run (\d+) of Pulse's \1 hooks \(not trusted yet: session_start, /,
        ),
      }),
    ]);
    await trustInTui();
    // (Hooks of events Codex does not know get no trust entry, so they still count as untrusted here.)
    expect(await trustCheck(noCodex)).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: expect.stringMatching(
          /^config\.toml trusts \d+ of Pulse's hooks, but only Codex can tell whether that trust still matches them \(codex is not on PATH\)$/,
        ),
      }),
    );
  });
});

describe("pulse run -- codex exec with Pulse's Codex hooks installed", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ label: "clicodexrun" });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("is one session, Codex's own, even though the only report (notify: hooks are not trusted yet) comes after codex exited", async () => {
    const run = await runCli(["run", "--", "codex", "exec", "--skip-git-repo-check", "say hello"], {
      cwd: project,
      env: env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1" }),
      timeoutMs: 90_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("OK, done.");
    const mine = await waitFor(
      async () => {
        const items = ((await getJson(stack.url, "/v1/sessions?source=codex&limit=50")).body.items as any[]).filter(
          (s) => s.cwd === project || (s.title ?? "").includes("codex exec"),
        );
        return items.length > 0 ? items : undefined;
      },
      { what: "the run's session" },
    );
    await new Promise((r) => setTimeout(r, 500)); // a second one would be in by now
    const again = ((await getJson(stack.url, "/v1/sessions?source=codex&limit=50")).body.items as any[]).filter(
      (s) => s.cwd === project || (s.title ?? "").includes("codex exec"),
    );
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: mine[0].id, title: "say hello" }); // titled by the prompt: Codex's notify, not pulse run
    expect(again[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // Codex's thread id (UUIDv7)
  });
});
