import { readdirSync, readFileSync } from "node:fs";

/**
 * Processes that belong to a sandbox: their command line or environment names the sandbox's root
 * (every agent, hook, watcher and Codex background app-server a test starts runs with HOME inside
 * it). This is how a test finds what it started, including detached daemons, without ever matching
 * by a process name: never this process or its ancestors.
 */
export function processesOf(root: string): number[] {
  const own = ancestors(process.pid);
  const found: number[] = [];
  for (const name of safeReaddir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (own.has(pid)) continue;
    if (read(`/proc/${pid}/cmdline`).includes(root) || read(`/proc/${pid}/environ`).includes(root)) found.push(pid);
  }
  return found;
}

/** SIGKILLs every process of the sandbox (by pid), repeating while new ones appear (bounded). */
export async function killProcessesOf(root: string, { rounds = 5 } = {}): Promise<number> {
  let killed = 0;
  for (let round = 0; round < rounds; round++) {
    const pids = processesOf(root);
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return killed;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = read(`/proc/${pid}/stat`);
    // A zombie is dead for our purposes (its parent has not reaped it yet).
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** The command line of a process, words joined by spaces ("" when gone). */
export function commandLine(pid: number): string {
  return read(`/proc/${pid}/cmdline`).split("\0").filter(Boolean).join(" ");
}

/** Direct children of a process. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of safeReaddir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    const m = /^\d+ \(.*\) \S (\d+) /.exec(stat);
    if (m && Number(m[1]) === pid) out.push(Number(name));
  }
  return out;
}

/** A process and all its descendants. */
export function treeOf(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(out[i]));
  return out;
}

function ancestors(pid: number): Set<number> {
  const out = new Set<number>();
  let current = pid;
  for (let i = 0; i < 64 && current > 1; i++) {
    out.add(current);
    const m = /^\d+ \(.*\) \S (\d+) /.exec(read(`/proc/${current}/stat`));
    if (!m) break;
    current = Number(m[1]);
  }
  return out;
}

function read(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
