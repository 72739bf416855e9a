import { processFacts } from "./agent-facts";
import type { ProcInfo } from "./proc-info";
import { connectedTo, findServerClients, isAgentClient, type ProcessTable } from "./shared-server-clients";

const proc = (pid: number, ppid: number, name: string, argv: string[]): ProcInfo => ({
  pid,
  ppid,
  name,
  argv,
  startTime: String(pid),
  state: "S",
});
const codex = processFacts("codex");
const NATIVE = "/x/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex";

// The process table seen with Codex 0.171 and two TUIs sharing one app-server (pids as captured).
const server = proc(31017, 1, "codex", [
  "/h/.codex/packages/app-server-daemon/releases/0.171.0/bin/codex",
  "app-server",
  "--listen",
  "unix://",
  "--managed-daemon",
]);
const updater = proc(31080, 1, "codex", [
  "/h/.codex/packages/app-server-daemon/releases/0.171.0/bin/codex",
  "app-server",
  "daemon",
  "pid-update-loop",
]);
const shim2 = proc(2946, 2940, "node", ["node", "/x/node_modules/.bin/codex"]);
const tui2 = proc(2983, 2946, "codex", [NATIVE]);
const shim3 = proc(662, 657, "node", ["node", "/x/node_modules/.bin/codex"]);
const tui3 = proc(677, 662, "codex", [NATIVE]);
const exec = proc(2502, 2491, "codex", [NATIVE, "exec", "hi"]);
const other = proc(830, 817, "codex", [NATIVE]); // a TUI of another CODEX_HOME (its own server)

/** `ss -xpn` lines as captured: tui2 (fd 35) ↔ server (fd 41) on the daemon socket, internal socketpairs, another server's client. */
const SS = `Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process
u_str ESTAB 0      0      * 57132            * 57131 users:(("codex",pid=31017,fd=7))
u_str ESTAB 0      0      * 57131            * 57132 users:(("codex",pid=31017,fd=8),("codex",pid=31017,fd=6))
u_str ESTAB 0      0      * 64980            * 64981 users:(("codex",pid=2983,fd=35))
u_str ESTAB 0      0      /tmp/codex-daemon-0/5241adb356a99141d6b054865150ed56932a91bc108475649f0be613b16a53b8 64981            * 64980 users:(("codex",pid=31017,fd=41))
u_str ESTAB 0      0      * 61427            * 60394 users:(("codex",pid=830,fd=34))
u_str ESTAB 0      0      /tmp/codex-daemon-0/410b8054ae5533d30b836459ba56986c60c1cec9704a31d9dca30516406f4e55 60394            * 61427 users:(("codex",pid=31658,fd=42))
`;

function fakeTable(
  procs: ProcInfo[],
  extra: { cwd?: Record<number, string>; env?: Record<number, Record<string, string>>; ss?: string | null } = {},
): ProcessTable {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return {
    pids: () => [...byPid.keys()],
    read: (pid) => byPid.get(pid) ?? null,
    cwd: (pid) => extra.cwd?.[pid] ?? "/work/proj",
    environ: (pid) => extra.env?.[pid] ?? { HOME: "/h" },
    unixSockets: () => (extra.ss === undefined ? null : extra.ss),
  };
}

describe("findServerClients", () => {
  const all = [server, updater, shim2, tui2, shim3, tui3, exec];

  it("with one TUI: that TUI's native process (not npm's node shim, not the server, not `codex exec`)", () => {
    expect(
      findServerClients(
        { server, facts: codex, cwd: "/work/proj" },
        fakeTable([server, updater, shim2, tui2, exec]),
      ).map((p) => p.pid),
    ).toEqual([2983]);
  });

  it("`ss` tells which TUI is the server's client", () => {
    expect(
      findServerClients({ server, facts: codex, cwd: "/work/proj" }, fakeTable(all, { ss: SS })).map((p) => p.pid),
    ).toEqual([2983]);
  });

  it("without `ss`, the session's cwd and CODEX_HOME tell them apart", () => {
    const table = fakeTable([...all, other], {
      cwd: { 677: "/work/other" },
      env: { 830: { HOME: "/h", CODEX_HOME: "/elsewhere" } },
    });
    expect(
      findServerClients({ server, facts: codex, cwd: "/work/proj", homeVariable: codex.homeVariable }, table).map(
        (p) => p.pid,
      ),
    ).toEqual([2983]);
  });

  it("two TUIs in one directory on one server: both (the watcher ends the session when both are gone)", () => {
    expect(
      findServerClients({ server, facts: codex, cwd: "/work/proj" }, fakeTable(all))
        .map((p) => p.pid)
        .sort((a, b) => a - b),
    ).toEqual([677, 2983]);
  });

  it("a filter that would leave nobody is skipped (a TUI started with -C has another cwd)", () => {
    expect(
      findServerClients({ server, facts: codex, cwd: "/somewhere/else" }, fakeTable([server, shim2, tui2])).map(
        (p) => p.pid,
      ),
    ).toEqual([2983]);
  });

  it("`ss` showing the server with no TUI client (an IDE drives it) leaves nobody: nothing to watch", () => {
    const ssNoClient = SS.split("\n")
      .filter((l) => !l.includes("pid=2983"))
      .join("\n");
    expect(
      findServerClients(
        { server, facts: codex, cwd: "/work/proj" },
        fakeTable([server, shim2, tui2], { ss: ssNoClient }),
      ),
    ).toEqual([]);
  });
});

describe("connectedTo", () => {
  it("reads the server's peers from ss output, ignoring its own socketpairs", () => {
    expect([...connectedTo(31017, SS)!]).toEqual([2983]);
    expect([...connectedTo(31658, SS)!]).toEqual([830]);
  });

  it("cannot tell when ss is missing, empty, garbage, or does not show the server", () => {
    for (const out of [null, "", "garbage\nmore garbage", SS.replace(/pid=31017/g, "pid=1")])
      expect(connectedTo(31017, out)).toBeNull();
  });
});

describe("isAgentClient", () => {
  it("takes TUIs and resumes, never servers or self-hooked subcommands", () => {
    expect(isAgentClient(tui2, codex)).toBe(true);
    expect(isAgentClient(proc(5, 1, "codex", [NATIVE, "resume", "01a2"]), codex)).toBe(true);
    expect(isAgentClient(proc(5, 1, "codex", [NATIVE, "--model", "x", "exec", "hi"]), codex)).toBe(false);
    expect(isAgentClient(server, codex)).toBe(false);
    expect(isAgentClient(updater, codex)).toBe(false);
    expect(isAgentClient(proc(5, 1, "claude", ["claude"]), codex)).toBe(false);
    expect(isAgentClient({ ...tui2, state: "Z" }, codex)).toBe(false);
  });
});
