import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS as ADAPTERS } from "@pulse/core/agents";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, fixture, PULSE_JS, runCli, Sandbox } from "../test-support/cli-process";
import { getJson } from "../test-support/ingest-control";

/** What Pulse installs for Claude Code: the adapter's list (what 2.1.197 fires). */
const EVENTS = [...ADAPTERS["claude-code"].hookEvents];

/** A user's settings as found in the wild: other settings, a foreign hook on an event Pulse uses, 4-space indent. */
const FOREIGN = {
  model: "opus",
  permissions: { allow: ["Bash(npm test:*)"], deny: [] },
  env: { FOO: "bar" },
  hooks: {
    PostToolUse: [
      { matcher: "Edit|Write", hooks: [{ type: "command", command: 'npx prettier --write "$CLAUDE_FILE"' }] },
    ],
    PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "/usr/local/bin/guard.sh", timeout: 3 }] }],
    TeammateIdle: [{ hooks: [{ type: "command", command: "notify-send idle" }] }],
  },
  statusLine: { type: "command", command: "~/.claude/statusline.sh" },
};

let sandbox: Sandbox;
let settingsPath: string;

beforeAll(() => assertBuilt());
beforeEach(() => {
  sandbox = new Sandbox();
  settingsPath = join(sandbox.home, ".claude", "settings.json");
  mkdirSync(join(sandbox.home, ".claude"), { recursive: true });
  writeFileSync(settingsPath, JSON.stringify(FOREIGN, null, 4) + "\n");
});
afterEach(() => sandbox.cleanup());

const readSettings = () => JSON.parse(readFileSync(settingsPath, "utf8"));
const pulseCommands = (settings: any, event: string): string[] =>
  (settings.hooks?.[event] ?? [])
    .flatMap((g: any) => g.hooks.map((h: any) => h.command))
    .filter((c: string) => c.includes("pulse.js"));

describe("pulse hooks install / uninstall / status (user scope, temp HOME)", () => {
  it("merges Pulse's hook for every event, keeping every foreign setting and hook, with a backup", async () => {
    const before = readFileSync(settingsPath, "utf8");
    const result = await runCli(["hooks", "install"], { env: sandbox.env() });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Installed Pulse's Claude Code hooks");

    const settings = readSettings();
    // The waits and ends that fire no other hook (issue 9): a permission dialog, an API error, an interrupt.
    expect(EVENTS).toEqual(expect.arrayContaining(["PermissionRequest", "StopFailure", "PostToolUseFailure"]));
    for (const event of EVENTS) {
      const commands = pulseCommands(settings, event);
      expect(commands).toHaveLength(1);
      expect(commands[0]).toBe(`NODE_EXTRA_CA_CERTS= ${process.execPath} ${PULSE_JS} hook`);
    }
    // Foreign content, untouched and in place.
    expect(settings.model).toBe("opus");
    expect(settings.permissions).toEqual(FOREIGN.permissions);
    expect(settings.env).toEqual(FOREIGN.env);
    expect(settings.statusLine).toEqual(FOREIGN.statusLine);
    expect(settings.hooks.TeammateIdle).toEqual(FOREIGN.hooks.TeammateIdle);
    expect(settings.hooks.PostToolUse[0]).toEqual(FOREIGN.hooks.PostToolUse[0]);
    expect(settings.hooks.PreToolUse[0]).toEqual(FOREIGN.hooks.PreToolUse[0]);
    // The file keeps its indentation; the backup is the file as it was.
    expect(readFileSync(settingsPath, "utf8")).toMatch(/^\{\n {4}"model"/);
    expect(readFileSync(`${settingsPath}.pulse-backup`, "utf8")).toBe(before);
  });

  it("is idempotent: a second install changes nothing (same bytes, same backup)", async () => {
    await runCli(["hooks", "install"], { env: sandbox.env() });
    const once = readFileSync(settingsPath, "utf8");
    const backupMtime = statSync(`${settingsPath}.pulse-backup`).mtimeMs;
    const second = await runCli(["hooks", "install"], { env: sandbox.env() });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("already installed");
    expect(readFileSync(settingsPath, "utf8")).toBe(once);
    expect(statSync(`${settingsPath}.pulse-backup`).mtimeMs).toBe(backupMtime);
  });

  it("replaces an outdated Pulse entry (old path) instead of adding a second one", async () => {
    const old = structuredClone(FOREIGN) as any;
    old.hooks.Stop = [{ hooks: [{ type: "command", command: "node /old/checkout/packages/cli/dist/pulse.js hook" }] }];
    writeFileSync(settingsPath, JSON.stringify(old, null, 2));
    await runCli(["hooks", "install"], { env: sandbox.env() });
    const settings = readSettings();
    expect(settings.hooks.Stop).toHaveLength(1);
    expect(pulseCommands(settings, "Stop")[0]).toContain(PULSE_JS);
  });

  it("--dry-run prints the diff and writes nothing", async () => {
    const before = readFileSync(settingsPath, "utf8");
    const result = await runCli(["hooks", "install", "--dry-run"], { env: sandbox.env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--- ~/.claude/settings.json (now)`);
    expect(result.stdout).toContain(
      `+                        "command": "NODE_EXTRA_CA_CERTS= ${process.execPath} ${PULSE_JS} hook",`,
    );
    expect(result.stdout).toContain("Dry run: nothing was written.");
    expect(result.stdout).not.toMatch(/^-.*"model"/m); // foreign lines are context, not changes
    expect(readFileSync(settingsPath, "utf8")).toBe(before);
    expect(existsSync(`${settingsPath}.pulse-backup`)).toBe(false);
  });

  it("uninstall removes only Pulse's entries and leaves the file as it was before install", async () => {
    await runCli(["hooks", "install"], { env: sandbox.env() });
    const result = await runCli(["hooks", "uninstall"], { env: sandbox.env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Removed ${EVENTS.length} Pulse hook(s)`);
    expect(readSettings()).toEqual(FOREIGN);
    const again = await runCli(["hooks", "uninstall"], { env: sandbox.env() });
    expect(again.stdout).toContain("No Pulse hooks");
  });

  it("status says what is installed where, with an exit code to match", async () => {
    const none = await runCli(["hooks", "status", "--json"], { env: sandbox.env(), cwd: sandbox.root });
    expect(none.code).toBe(1);
    await runCli(["hooks", "install"], { env: sandbox.env() });
    const some = await runCli(["hooks", "status", "--json"], { env: sandbox.env(), cwd: sandbox.root });
    expect(some.code).toBe(0);
    const statuses = JSON.parse(some.stdout);
    const user = statuses.find((s: any) => s.agent === "claude-code" && s.scope === "user");
    expect(user).toMatchObject({
      what: "hooks",
      complete: true,
      installed: EVENTS,
      missing: [],
      foreign_hooks: 3,
      problems: [],
    });
    expect(statuses.find((s: any) => s.agent === "claude-code" && s.scope === "project")).toMatchObject({
      exists: false,
      complete: false,
    });
    const table = await runCli(["hooks", "status"], { env: sandbox.env(), cwd: sandbox.root });
    expect(table.stdout).toMatch(
      new RegExp(
        `^claude-code\\s+user\\s+hooks\\s+~/\\.claude/settings\\.json\\s+installed \\(${EVENTS.length} events\\)\\s+3$`,
        "m",
      ),
    );
    expect(table.stdout).toMatch(/^codex\s+user\s+notify\s+~\/\.codex\/config\.toml\s+no file\s+0$/m);
  });

  it("installs into ./.claude/settings.json with --scope project, creating it", async () => {
    const result = await runCli(["hooks", "install", "--scope", "project"], { env: sandbox.env(), cwd: sandbox.root });
    expect(result.code).toBe(0);
    const project = JSON.parse(readFileSync(join(sandbox.root, ".claude", "settings.json"), "utf8"));
    expect(Object.keys(project.hooks)).toEqual(EVENTS);
    expect(readSettings()).toEqual(FOREIGN); // the user file is not touched
  });

  it("saves PULSE_URL and PULSE_TOKEN for the hooks, readable by the user only", async () => {
    await runCli(["hooks", "install"], {
      env: sandbox.env({ PULSE_URL: "http://10.0.0.5:6820", PULSE_TOKEN: "s3cret-token" }),
    });
    const config = join(sandbox.pulseHome, "config.json");
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({ url: "http://10.0.0.5:6820", token: "s3cret-token" });
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });

  it("re-installing with another PULSE_URL saves it and says so, though the hooks are already there", async () => {
    await runCli(["hooks", "install"], { env: sandbox.env({ PULSE_URL: "http://10.0.0.5:6820" }) });
    const settings = readFileSync(settingsPath, "utf8");
    const again = await runCli(["hooks", "install"], {
      env: sandbox.env({ PULSE_URL: "http://10.0.0.9:7000", PULSE_TOKEN: "new-token-789" }),
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Pulse's Claude Code hooks are already installed");
    expect(again.stdout).toContain("✓ Saved PULSE_URL and PULSE_TOKEN in ");
    expect(again.stdout).toContain("events now go to http://10.0.0.9:7000");
    expect(again.stdout).not.toContain("new-token-789"); // never printed
    expect(JSON.parse(readFileSync(join(sandbox.pulseHome, "config.json"), "utf8"))).toEqual({
      url: "http://10.0.0.9:7000",
      token: "new-token-789",
    });
    expect(readFileSync(settingsPath, "utf8")).toBe(settings); // the hooks themselves are unchanged
    // The same values again: truly nothing to do.
    const same = await runCli(["hooks", "install"], { env: sandbox.env({ PULSE_URL: "http://10.0.0.9:7000" }) });
    expect(same.stdout).toContain("Nothing to do; events go to http://10.0.0.9:7000.");
    // --dry-run saves nothing either.
    await runCli(["hooks", "install", "--dry-run"], { env: sandbox.env({ PULSE_URL: "http://10.0.0.1:1" }) });
    expect(JSON.parse(readFileSync(join(sandbox.pulseHome, "config.json"), "utf8")).url).toBe("http://10.0.0.9:7000");
  });

  it("refuses a settings file that is not JSON, in one line, without touching it", async () => {
    writeFileSync(settingsPath, '{ "model": "opus", // a comment\n}');
    const result = await runCli(["hooks", "install"], { env: sandbox.env() });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^pulse: .*settings\.json is not valid JSON .*Pulse will not overwrite it/);
    expect(readFileSync(settingsPath, "utf8")).toBe('{ "model": "opus", // a comment\n}');
  });

  it("refuses bad options with a usage error (exit 2)", async () => {
    const scope = await runCli(["hooks", "install", "--scope", "global"], { env: sandbox.env() });
    expect(scope.code).toBe(2);
    expect(scope.stderr).toBe('pulse: hooks install: --scope must be one of user, project, local (got "global")\n');
    const unknown = await runCli(["hooks", "install", "--force"], { env: sandbox.env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("pulse: hooks install: unknown option --force\n");
  });
});

describe("pulse hooks install: the saved URL is where hooks post", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ label: "clihooksurl" });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("after re-installing with the new server's PULSE_URL, a hook started without it posts there", async () => {
    await runCli(["hooks", "install"], { env: sandbox.env({ PULSE_URL: "http://127.0.0.1:1" }) });
    const reinstall = await runCli(["hooks", "install"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    expect(reinstall.stdout).toContain(`events now go to ${stack.url}`);
    // An agent started from another environment: no PULSE_URL, only the saved config.
    const id = "hooks-reinstall-url-1";
    const payload = JSON.stringify({ ...JSON.parse(fixture("claude-code/session-start.json")), session_id: id });
    const hook = await runCli(["hook"], { input: payload, env: sandbox.env({ PULSE_NO_WATCH: "1" }) });
    expect(hook).toMatchObject({ code: 0, stderr: "" });
    // Delivered by the hook, or (a cold ingest slower than the hook's 50 ms) by the background
    // delivery it hands over to, which reads the same saved URL.
    await waitFor(async () => ((await getJson(stack.url, `/v1/sessions/${id}`)).status === 200 ? true : undefined), {
      what: "the session on the new server",
    });
    await waitFor(() => (sandbox.spoolFiles().length === 0 ? true : undefined), { what: "an empty spool" });
  });
});
