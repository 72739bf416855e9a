import { readFileSync } from "node:fs";

/** What Pulse needs to know about a process to find the agent and to notice it is gone. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Kernel process name (comm), e.g. "node", "bash", "claude". */
  name: string;
  argv: string[];
  /** Start time in clock ticks since boot (Linux): tells a reused pid from the original process. */
  startTime: string | null;
  /** Process state letter (Linux): "Z" is a zombie, dead but not yet reaped. */
  state: string | null;
}

/** Parses /proc/<pid>/stat. The name is in parentheses and may itself contain spaces and parentheses. */
export function parseProcStat(
  stat: string,
): { name: string; state: string; ppid: number; startTime: string; tty: number } | null {
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const fields = stat.slice(close + 2).split(" ");
  // After the name: state(3) ppid(4) … tty_nr(7) … starttime(22); fields[0] is field 3.
  const ppid = Number(fields[1]);
  if (!fields[0] || !Number.isInteger(ppid) || fields[19] === undefined) return null;
  return {
    name: stat.slice(open + 1, close),
    state: fields[0],
    ppid,
    startTime: fields[19],
    tty: Number(fields[4]) || 0,
  };
}

function readLinux(pid: number): ProcInfo | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    // No /proc at all (macOS, BSD): say "unknown" so the caller falls back to ps.
    return (error as NodeJS.ErrnoException).code === "ENOENT" && !procMounted() ? undefined : null;
  }
  const parsed = parseProcStat(stat);
  if (!parsed) return null;
  let argv: string[] = [];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    // a process may hide its command line; the name is enough for the rule
  }
  return { pid, ppid: parsed.ppid, name: parsed.name, argv, startTime: parsed.startTime, state: parsed.state };
}

let procChecked: boolean | undefined;
function procMounted(): boolean {
  if (procChecked === undefined) {
    try {
      readFileSync("/proc/self/stat");
      procChecked = true;
    } catch {
      procChecked = false;
    }
  }
  return procChecked;
}

/** Without /proc: one `ps` per process (only on session start, so its ~10 ms does not matter). */
function readWithPs(pid: number): ProcInfo | null {
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  try {
    const out = execFileSync("ps", ["-o", "ppid=", "-o", "comm=", "-p", String(pid)], {
      encoding: "utf8",
      timeout: 500,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const match = /^(\d+)\s+(.*)$/.exec(out);
    if (!match) return null;
    const args = execFileSync("ps", ["-o", "args=", "-p", String(pid)], {
      encoding: "utf8",
      timeout: 500,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const name = match[2].split("/").pop() ?? match[2];
    return { pid, ppid: Number(match[1]), name, argv: args ? args.split(/\s+/) : [], startTime: null, state: null };
  } catch {
    return null;
  }
}

/** The process, or null when it does not exist (any more). */
export function readProc(pid: number): ProcInfo | null {
  const linux = readLinux(pid);
  return linux === undefined ? readWithPs(pid) : linux;
}

/**
 * Is the process alive, and still the one we saw? `kill(pid, 0)` alone is fooled by zombies (dead,
 * not yet reaped) and by a pid the kernel reused, so on Linux the state and start time are checked too.
 */
/**
 * The process's controlling terminal (Linux tty_nr; 0: none), or null when it cannot be read. When a
 * terminal closes, the kernel hangs it up and detaches every process of its session from it: tty_nr
 * becomes 0, even for a process that ignores SIGHUP or takes seconds to exit.
 */
export function controllingTerminal(pid: number): number | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"))?.tty ?? null;
  } catch {
    return null;
  }
}

/**
 * Is it still the process that was watched? With `terminal` (its controlling terminal when the watch
 * began, non-zero), a process that has lost that terminal counts as gone: the user closed the window
 * it ran in, and an interactive agent with no terminal is a session nobody can use.
 */
export function isSameProcessAlive(pid: number, startTime: string | null, terminal: number | null = null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (!procMounted()) return true;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  const parsed = parseProcStat(stat);
  if (!parsed) return true;
  if (parsed.state === "Z" || parsed.state === "X") return false;
  if (startTime !== null && parsed.startTime !== startTime) return false;
  return !(terminal && parsed.tty !== terminal);
}
