import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, PULSE_JS, runCli, Sandbox } from "../test-support/cli-process";
import { getJson, startProxy } from "../test-support/ingest-control";

let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "clirun" });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

/** The sessions `pulse run` created with this source. */
async function sessionsOf(source: string) {
  const r = await getJson(stack.url, `/v1/sessions?source=${source}&limit=50`);
  return r.body.items as any[];
}

describe("pulse run", () => {
  it("returns the command's exit code and ends the session with it", async () => {
    const before = Date.now();
    const result = await runCli(["run", "--agent", "exit3", "--", "sh", "-c", "echo out; echo err >&2; exit 3"], {
      env: sandbox.env({ PULSE_URL: stack.url }),
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("out\n"); // the child's output, untouched; pulse adds nothing
    expect(result.stderr).toBe("err\n");
    const [session] = await waitFor(
      async () => {
        const items = await sessionsOf("exit3");
        return items.length && items[0].status === "ended" ? items : undefined;
      },
      { what: "the ended session" },
    );
    // Titled by its command line, unless --title says otherwise (next test).
    expect(session).toMatchObject({
      source: "exit3",
      end_reason: "process_exit",
      end_detail: "exit code 3",
      event_count: 2,
      title: "sh -c echo out; echo err >&2; exit 3",
    });
    expect(Date.parse(session.started_at)).toBeGreaterThanOrEqual(before);
    expect(sandbox.spoolFiles()).toEqual([]);
  });

  it("passes stdin through and gives the child its session id", async () => {
    const result = await runCli(
      ["run", "--agent", "cat", "--title", "Copy stdin", "--", "sh", "-c", 'cat; echo "id=$PULSE_SESSION_ID"'],
      { input: "hello\n", env: sandbox.env({ PULSE_URL: stack.url }) },
    );
    expect(result.code).toBe(0);
    const [line1, line2] = result.stdout.split("\n");
    expect(line1).toBe("hello");
    const id = line2.replace("id=", "");
    await waitFor(async () => (await getJson(stack.url, `/v1/sessions/${id}`)).body.end_detail === "exit code 0", {
      what: "the session to end with exit code 0",
    });
    expect((await getJson(stack.url, `/v1/sessions/${id}`)).body.title).toBe("Copy stdin");
  });

  it("on SIGINT (Ctrl+C) forwards it, ends the session once, and exits like the child (130)", async () => {
    const proxy = await startProxy(stack.url);
    try {
      // The agent stand-in is node, not sh: dash defers a SIGINT that lands between two commands and
      // then keeps running, which would make this test race the shell instead of testing pulse.
      const agent = [process.execPath, "-e", "console.log('ready'); setInterval(() => {}, 1000)"];
      const child = spawn(process.execPath, [PULSE_JS, "run", "--agent", "ctrlc", "--", ...agent], {
        env: sandbox.env({ PULSE_URL: proxy.url }) as NodeJS.ProcessEnv,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true, // its own process group, like a job in a terminal
      });
      let stderr = "";
      child.stderr!.on("data", (c) => (stderr += c));
      await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
      const exited = new Promise<number | string | null>((resolve) =>
        child.on("exit", (code, signal) => resolve(code ?? signal)),
      );
      // Ctrl+C without a terminal: SIGINT to pulse, then to the whole group, then pulse again (a racing second signal).
      process.kill(child.pid!, "SIGINT");
      process.kill(-child.pid!, "SIGINT");
      process.kill(child.pid!, "SIGINT");
      expect(await exited).toBe(130);
      expect(stderr).toBe("");
      const ends = proxy.requests.filter((r) => JSON.parse(r.body).kind === "end");
      expect(ends).toHaveLength(1);
      expect(JSON.parse(ends[0].body)).toMatchObject({
        end_reason: "process_exit",
        end_detail: "killed by SIGINT (exit code 130)",
      });
      const [session] = await waitFor(
        async () => {
          const items = await sessionsOf("ctrlc");
          return items.length && items[0].status === "ended" ? items : undefined;
        },
        { what: "the ended session" },
      );
      expect(session).toMatchObject({ end_reason: "process_exit", event_count: 2 });
    } finally {
      await proxy.close();
    }
  });

  it("forwards SIGTERM and returns 143", async () => {
    const agent = [process.execPath, "-e", "console.log('ready'); setInterval(() => {}, 1000)"];
    const child = spawn(process.execPath, [PULSE_JS, "run", "--agent", "term", "--", ...agent], {
      env: sandbox.env({ PULSE_URL: stack.url }) as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    await waitFor(async () => (await sessionsOf("term"))[0]?.end_detail === "killed by SIGTERM (exit code 143)", {
      what: "the end",
    });
  });

  it("when pulse itself is killed with SIGKILL, its watcher still ends the session", async () => {
    const agent = [process.execPath, "-e", "console.log(process.env.PULSE_SESSION_ID); setInterval(() => {}, 1000)"];
    const child = spawn(process.execPath, [PULSE_JS, "run", "--agent", "killed", "--", ...agent], {
      env: sandbox.env({ PULSE_URL: stack.url }) as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    try {
      const id = await new Promise<string>((resolve) => child.stdout!.once("data", (d) => resolve(String(d).trim())));
      await waitFor(
        async () =>
          (await getJson(stack.url, `/v1/sessions/${id}`)).status === 200 && sandbox.watcherRecords().length === 1,
        { what: "the session and its watcher" },
      );
      const killedAt = Date.now();
      process.kill(child.pid!, "SIGKILL");
      const ended = await waitFor(
        async () => {
          const s = (await getJson(stack.url, `/v1/sessions/${id}`)).body;
          return s.status === "ended" ? s : undefined;
        },
        { timeoutMs: 5000, what: "the session to end" },
      );
      expect(ended).toMatchObject({
        end_reason: "process_exit",
        end_detail: `agent process ${child.pid} (pulse run) exited`,
      });
      expect(Date.parse(ended.ended_at)).toBeGreaterThanOrEqual(killedAt);
    } finally {
      process.kill(-child.pid!, "SIGKILL"); // the orphaned agent stand-in
    }
  });

  it("keeps both events in the spool when ingest is down, and still returns the exit code", async () => {
    const result = await runCli(["run", "--agent", "down", "--", "sh", "-c", "exit 7"], {
      env: sandbox.env({ PULSE_URL: "http://127.0.0.1:1" }),
    });
    expect(result.code).toBe(7);
    expect(result.stderr).toBe(
      "pulse: ingest unreachable at http://127.0.0.1:1 (ECONNREFUSED); the session's events wait in the spool (`pulse spool flush`)\n",
    );
    expect(sandbox.spoolFiles()).toHaveLength(2);
    const flushed = await runCli(["spool", "flush"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    expect(flushed.stdout).toContain("Delivered 2 event(s).");
    expect(flushed.code).toBe(0);
    await waitFor(async () => (await sessionsOf("down"))[0]?.end_detail === "exit code 7", {
      what: "the spooled session",
    });
  });

  it("reports a command that does not exist (127) and bad usage (2) in one line", async () => {
    const missing = await runCli(["run", "--", "no-such-command-xyz"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    expect(missing).toMatchObject({
      code: 127,
      stdout: "",
      stderr: "pulse: cannot run no-such-command-xyz: command not found\n",
    });
    const noCommand = await runCli(["run"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    expect(noCommand).toMatchObject({
      code: 2,
      stderr: "pulse: run: no command; usage: pulse run [--agent NAME] -- <command> [args…]\n",
    });
    const noDashes = await runCli(["run", "aider"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    expect(noDashes).toMatchObject({
      code: 2,
      stderr: "pulse: run: put the command after --, e.g. pulse run -- aider\n",
    });
    expect(sandbox.spoolFiles()).toEqual([]);
  });
});

/**
 * A stand-in for Codex, installed on PATH as `codex`: like Codex it runs the hooks Pulse installed in
 * $CODEX_HOME/hooks.json (`sh -c <command>`, the payload on stdin, under its own session id), unless
 * DUMMY_NO_HOOKS is set (Codex with hooks not trusted runs none). It prints PULSE_SESSION_ID first.
 */
const DUMMY_CODEX = `#!/usr/bin/env node
const { spawnSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
console.log(process.env.PULSE_SESSION_ID ?? "");
let hooks = {};
try {
  hooks = JSON.parse(readFileSync(process.env.CODEX_HOME + "/hooks.json", "utf8")).hooks ?? {};
} catch {}
const session = process.argv[2];
for (const event of process.env.DUMMY_NO_HOOKS ? [] : ["SessionStart", "UserPromptSubmit", "Stop"]) {
  const payload = { session_id: session, hook_event_name: event, cwd: process.cwd(), model: "gpt-5-codex", turn_id: "t1", ...(event === "UserPromptSubmit" ? { prompt: "fix the build" } : {}) };
  for (const group of hooks[event] ?? []) for (const hook of group.hooks) spawnSync("/bin/sh", ["-c", hook.command], { input: JSON.stringify(payload), stdio: ["pipe", "ignore", "inherit"] });
}
process.exit(Number(process.env.DUMMY_EXIT ?? 0));
`;

describe("pulse run -- <agent> with the agent's hooks installed", () => {
  let env: Record<string, string | undefined>;
  beforeEach(async () => {
    const bin = join(sandbox.root, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "codex"), DUMMY_CODEX);
    chmodSync(join(bin, "codex"), 0o755);
    const codexHome = join(sandbox.root, "codex-home");
    env = sandbox.env({
      PULSE_URL: stack.url,
      CODEX_HOME: codexHome,
      PATH: `${bin}:${process.env.PATH}`,
      PULSE_NO_WATCH: "1",
    });
    expect((await runCli(["hooks", "install", "--agent", "codex"], { env })).code).toBe(0);
  });

  it("is one session: the agent's own, under its id; pulse run adds none", async () => {
    const agentSession = `run-hooked-${Date.now()}`;
    const result = await runCli(["run", "--", "codex", agentSession], { env: { ...env, DUMMY_EXIT: "4" } });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe("");
    const runId = result.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/); // the child still gets PULSE_SESSION_ID
    const s = await waitFor(
      async () => {
        const r = await getJson(stack.url, `/v1/sessions/${agentSession}`);
        return r.status === 200 && r.body.event_count === 3 ? r.body : undefined;
      },
      { what: "the agent's session" },
    );
    expect(s).toMatchObject({ source: "codex", title: "fix the build" });
    await new Promise((r) => setTimeout(r, 300)); // a wrapper session would have landed by now
    expect((await getJson(stack.url, `/v1/sessions/${runId}`)).status).toBe(404);
    // No second session for the run (it would be titled by its command line, "codex <id>").
    expect(
      (await sessionsOf("codex"))
        .filter((x) => x.id === agentSession || x.title?.includes(agentSession))
        .map((x) => x.id),
    ).toEqual([agentSession]);
    expect(readdirSync(join(sandbox.pulseHome, "runs"))).toEqual([]); // its claim file is cleaned up
    expect(sandbox.spoolFiles()).toEqual([]);
  });

  it("when no hook reported anything (hooks not trusted), records the run itself after all, with its true times", async () => {
    const before = Date.now();
    const result = await runCli(["run", "--", "codex", "unused-session"], { env: { ...env, DUMMY_NO_HOOKS: "1" } });
    expect(result.code).toBe(0);
    const runId = result.stdout.trim();
    const s = await waitFor(
      async () => {
        const r = await getJson(stack.url, `/v1/sessions/${runId}`);
        return r.status === 200 && r.body.status === "ended" ? r.body : undefined;
      },
      { what: "the run's own session" },
    );
    expect(s).toMatchObject({ source: "codex", end_reason: "process_exit", end_detail: "exit code 0", event_count: 2 });
    expect(Date.parse(s.started_at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(s.started_at)).toBeLessThanOrEqual(Date.parse(s.ended_at));
    expect((await getJson(stack.url, "/v1/sessions/unused-session")).status).toBe(404);
  });

  it("without the agent's hooks installed, keeps making its own session", async () => {
    await runCli(["hooks", "uninstall", "--agent", "codex"], { env });
    const result = await runCli(["run", "--", "codex", "hookless-session"], { env });
    const runId = result.stdout.trim();
    await waitFor(
      async () =>
        (await getJson(stack.url, `/v1/sessions/${runId}`)).body.end_detail === "exit code 0" ? true : undefined,
      { what: "the wrapper session" },
    );
  });
});
