import { processFacts } from "./agent-facts";
import { findAgentProcess, isPassThrough, locateAgent } from "./agent-process";
import { type ProcInfo, parseProcStat } from "./proc-info";

const proc = (pid: number, ppid: number, name: string, argv: string[]): ProcInfo => ({
  pid,
  ppid,
  name,
  argv,
  startTime: String(pid * 10),
  state: "S",
});

/** A process table: Claude Code (native or node) → sh -c → node pulse.js hook. */
function table(...procs: ProcInfo[]) {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return (pid: number) => byPid.get(pid) ?? null;
}

describe("findAgentProcess", () => {
  it("skips the shell Claude Code runs the hook command with and finds the agent", () => {
    const read = table(
      proc(100, 1, "claude", ["claude"]),
      proc(200, 100, "sh", ["/bin/sh", "-c", "NODE_EXTRA_CA_CERTS= node /x/pulse.js hook"]),
    );
    expect(findAgentProcess(200, read)?.pid).toBe(100);
  });

  it("finds a node-based agent (Claude Code's cli.js) but skips node running pulse, npm or npx", () => {
    const read = table(
      proc(100, 1, "node", ["node", "/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"]),
      proc(150, 100, "bash", ["bash", "-c", "npx pulse hook"]),
      proc(160, 150, "npm exec pulse", ["npm exec pulse hook"]),
      proc(170, 160, "sh", ["sh", "-c", "pulse hook"]),
      proc(180, 170, "node", ["node", "/repo/node_modules/.bin/pulse", "hook"]),
    );
    expect(findAgentProcess(180, read)?.pid).toBe(100);
  });

  it("takes the direct parent when the agent runs the hook without a shell (Codex notify)", () => {
    const read = table(proc(300, 1, "codex", ["codex"]));
    expect(findAgentProcess(300, read)?.name).toBe("codex");
  });

  it("gives up at init or when the process table cannot be read", () => {
    expect(findAgentProcess(200, table(proc(200, 1, "sh", ["sh"])))).toBeNull();
    expect(findAgentProcess(200, () => null)).toBeNull();
  });

  it("treats login shells (-bash) and wrappers as pass-through", () => {
    expect(isPassThrough(proc(1, 0, "-bash", ["-bash"]))).toBe(true);
    expect(isPassThrough(proc(1, 0, "timeout", ["timeout", "5", "pulse", "hook"]))).toBe(true);
    expect(isPassThrough(proc(1, 0, "gemini", ["node", "/usr/bin/gemini"]))).toBe(false);
  });
});

describe("locateAgent with the agent's process facts", () => {
  const codex = processFacts("codex");
  // Seen with Codex 0.171: the first TUI (30939, under npm's node shim) started the shared app-server
  // (31017, its own session); every TUI's hooks then run as `sh` children of that server.
  const tui1 = proc(30939, 30927, "codex", [
    "/x/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
  ]);
  const shim = proc(30927, 30925, "node", ["node", "/x/node_modules/.bin/codex"]);
  const server = proc(31017, 30939, "codex", [
    "/h/.codex/packages/app-server-daemon/releases/0.171.0/bin/codex",
    "app-server",
    "--listen",
    "unix://",
    "--analytics-default-enabled",
    "--managed-daemon",
  ]);
  const hook = proc(31649, 31017, "sh", ["/bin/sh", "-c", "pulse hook --agent codex"]);

  it("stops at Codex's shared app-server instead of taking the TUI that happened to start it", () => {
    const read = table(shim, tui1, server, hook);
    expect(locateAgent(31649, codex, read)).toEqual({ kind: "shared-server", server });
    expect(findAgentProcess(31649, read, "codex")).toBeNull();
  });

  it("finds `codex exec` directly: it runs its hooks itself", () => {
    const exec = proc(2502, 2491, "codex", ["/x/codex", "exec", "--skip-git-repo-check", "hi"]);
    const read = table(
      proc(2491, 2489, "node", ["node", "/x/node_modules/.bin/codex", "exec", "hi"]),
      exec,
      proc(2570, 2502, "sh", ["/bin/sh", "-c", "pulse hook --agent codex"]),
    );
    expect(locateAgent(2570, codex, read)).toEqual({ kind: "agent", agent: exec });
  });

  it("a prompt that mentions app-server is not the server; other agents have no shared server", () => {
    const tui = proc(700, 1, "codex", ["codex", "fix the app-server crash"]);
    expect(locateAgent(701, codex, table(tui, proc(701, 700, "sh", ["sh"])))).toEqual({ kind: "agent", agent: tui });
    expect(locateAgent(31649, processFacts("claude-code"), table(shim, tui1, server, hook))).toEqual({
      kind: "agent",
      agent: server,
    });
  });
});

describe("parseProcStat", () => {
  it("reads ppid, state, controlling terminal and start time, even when the name has spaces and parentheses", () => {
    const stat = "4242 (tmux: server (1)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200";
    expect(parseProcStat(stat)).toEqual({ name: "tmux: server (1)", state: "S", ppid: 1, startTime: "987654", tty: 0 });
    const inTerminal =
      "22732 (node) S 22731 22732 22732 34818 22732 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987655 1000 200";
    expect(parseProcStat(inTerminal)).toMatchObject({ ppid: 22731, tty: 34818, startTime: "987655" });
  });

  it("returns null for something that is not a stat line", () => {
    expect(parseProcStat("garbage")).toBeNull();
  });
});
