import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { isNeverTheSession, type ProcessFacts } from "./agent-facts";
import { type ProcInfo, readProc } from "./proc-info";

/**
 * Which process is the session's when its hook ran in a shared server (Codex's `codex app-server`,
 * which serves every interactive `codex` TUI of a CODEX_HOME and outlives them): one of the server's
 * clients. Nothing in the hook says which, so the candidates are narrowed by what can be checked:
 *
 * 1. processes of this agent (`facts.names`), neither a shared server (`never`) nor a subcommand that
 *    runs its own hooks (`ownHooks`, e.g. `codex exec`), innermost only (the native binary, not the
 *    npm `node …/bin/codex` wrapper above it);
 * 2. that are connected to the server's sockets, when `ss` can tell (iproute2; skipped without it,
 *    or when it does not show the server's sockets);
 * 3. that use the same agent home (CODEX_HOME, else $HOME/.codex): one server serves one home;
 * 4. whose working directory is the session's `cwd`.
 *
 * A filter that would leave nobody is not applied (a TUI started with `-C dir` has another working
 * directory than its session). More than one left (two TUIs in one directory) is a set: the watcher
 * ends the session only when all of them are gone, so an ambiguity makes an end late, never wrong.
 */
export interface ClientQuery {
  server: ProcInfo;
  facts: ProcessFacts;
  /** The session's working directory, from the hook payload. */
  cwd: string | null;
  /** The environment variable naming the agent's home, and its default under $HOME. */
  homeVariable?: { name: string; defaultDir: string };
}

/** Hooks for tests: the process table and `ss` output. */
export interface ProcessTable {
  pids(): number[];
  read(pid: number): ProcInfo | null;
  cwd(pid: number): string | null;
  environ(pid: number): Record<string, string> | null;
  /** `ss -xpn` output, or null when it cannot be run. */
  unixSockets(): string | null;
}

const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

export function findServerClients(query: ClientQuery, table: ProcessTable = liveProcessTable): ProcInfo[] {
  const { server, facts } = query;
  let candidates: ProcInfo[] = [];
  for (const pid of table.pids()) {
    if (pid === server.pid) continue;
    const info = table.read(pid);
    if (info && isAgentClient(info, facts)) candidates.push(info);
  }
  // Innermost: a wrapper (npm's node shim) whose child is a candidate too is not the one to watch.
  const pids = new Set(candidates.map((c) => c.pid));
  candidates = candidates.filter((c) => !candidates.some((other) => other.ppid === c.pid && pids.has(other.pid)));

  if (candidates.length > 0) {
    // When `ss` sees the server's own sockets its answer is complete: a candidate that is not a client
    // (a `codex --no-daemon` TUI in the same directory) is not the session's, even if none is left.
    const clients = connectedTo(server.pid, table.unixSockets());
    if (clients) candidates = candidates.filter((c) => clients.has(c.pid));
  }
  if (query.homeVariable) {
    const serverHome = agentHome(table.environ(server.pid), query.homeVariable);
    if (serverHome)
      candidates = narrow(candidates, (c) => agentHome(table.environ(c.pid), query.homeVariable!) === serverHome);
  }
  if (query.cwd) candidates = narrow(candidates, (c) => table.cwd(c.pid) === query.cwd);
  return candidates;
}

/** Keeps the candidates that pass, unless none would: then the filter cannot tell and is skipped. */
function narrow(candidates: ProcInfo[], keep: (c: ProcInfo) => boolean): ProcInfo[] {
  const kept = candidates.filter(keep);
  return kept.length > 0 ? kept : candidates;
}

/** A process of this agent (by its executable or the script node runs), not a server, not self-hooked. */
export function isAgentClient(info: ProcInfo, facts: ProcessFacts): boolean {
  if (info.state === "Z" || info.state === "X") return false;
  const runtime = baseName(info.argv[0] ?? info.name);
  const isNode = runtime === "node" || runtime === "nodejs" || info.name === "node";
  const program = isNode ? baseName(info.argv[1] ?? "") : runtime || info.name;
  if (!facts.names.includes(program) && !facts.names.includes(info.name)) return false;
  if (isNeverTheSession(info.argv, facts)) return false;
  // Any argument, not just the first: options may come before the subcommand (`codex -m x exec …`).
  return !info.argv.slice(isNode ? 2 : 1).some((arg) => facts.ownHooks.includes(arg));
}

function agentHome(env: Record<string, string> | null, variable: { name: string; defaultDir: string }): string | null {
  if (!env) return null;
  if (env[variable.name]) return env[variable.name].replace(/\/+$/, "");
  return env.HOME ? `${env.HOME.replace(/\/+$/, "")}/${variable.defaultDir}` : null;
}

/**
 * The pids at the other end of the server's unix sockets, from `ss -xpn` lines such as
 * `u_str ESTAB 0 0 /tmp/codex-daemon-0/… 64981 * 64980 users:(("codex",pid=31017,fd=41))`
 * (local address, local inode, peer address, peer inode, owners). Null when `ss` shows none of the
 * server's sockets (not installed, or not allowed to see its owner): then it cannot tell.
 */
export function connectedTo(serverPid: number, ssOutput: string | null): Set<number> | null {
  if (!ssOutput) return null;
  const owners = new Map<string, number[]>();
  const peers: Array<{ inode: string; peer: string; pids: number[] }> = [];
  for (const line of ssOutput.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8 || !fields[0].startsWith("u_")) continue;
    const [inode, peer] = [fields[5], fields[7]];
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (!/^\d+$/.test(inode) || !/^\d+$/.test(peer) || pids.length === 0) continue;
    owners.set(inode, pids);
    peers.push({ inode, peer, pids });
  }
  const serverSockets = peers.filter((socket) => socket.pids.includes(serverPid));
  if (serverSockets.length === 0) return null;
  const clients = new Set<number>();
  for (const socket of serverSockets) {
    for (const pid of owners.get(socket.peer) ?? []) if (pid !== serverPid) clients.add(pid);
  }
  return clients;
}

const liveProcessTable: ProcessTable = {
  pids: () => {
    try {
      return readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .map(Number);
    } catch {
      return [];
    }
  },
  read: readProc,
  cwd: (pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      return null;
    }
  },
  environ: (pid) => {
    try {
      const env: Record<string, string> = {};
      for (const pair of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
        const eq = pair.indexOf("=");
        if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return env;
    } catch {
      return null;
    }
  },
  unixSockets: () => {
    const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
    try {
      return execFileSync("ss", ["-xpn"], {
        encoding: "utf8",
        timeout: 1000,
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 8 << 20,
      });
    } catch {
      return null;
    }
  },
};
