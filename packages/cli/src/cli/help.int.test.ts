import { assertBuilt, runCli, Sandbox } from "../test-support/cli-process";

const COMMANDS = [
  "hooks install",
  "hooks uninstall",
  "hooks status",
  "hook",
  "run",
  "sessions",
  "sessions show",
  "sessions close",
  "cleanup",
  "stats",
  "doctor",
  "spool",
  "otel env",
  "notify test",
  "notify channels",
];

let sandbox: Sandbox;
beforeAll(() => {
  assertBuilt();
  sandbox = new Sandbox();
});
afterAll(() => sandbox.cleanup());

describe("--help", () => {
  it.each(COMMANDS)("pulse %s --help prints its usage and options, exit 0", async (command) => {
    const result = await runCli([...command.split(" "), "--help"], { env: sandbox.env() });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(new RegExp(`^Usage: pulse ${command}\\b`));
    expect(result.stdout).toContain("-h, --help");
  });

  it("pulse --help lists every command; pulse alone does too, with exit 2", async () => {
    const help = await runCli(["--help"], { env: sandbox.env() });
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\s{2,}\\S`, "m"));
    const bare = await runCli([], { env: sandbox.env() });
    expect(bare).toMatchObject({ code: 2, stdout: help.stdout });
  });

  it("a group without a command shows its commands (exit 2)", async () => {
    const result = await runCli(["hooks"], { env: sandbox.env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Usage: pulse hooks <command>/);
    expect(result.stdout).toContain("hooks uninstall");
  });
});
