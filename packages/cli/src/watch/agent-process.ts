import { type ProcInfo, readProc } from "./proc-info";

/** Programs that only pass a hook command along: the agent is above them. */
const PASS_THROUGH = new Set(["sh", "bash", "dash", "zsh", "fish", "ksh", "mksh", "ash", "busybox", "env", "timeout", "nice", "nohup", "stdbuf", "time", "xargs"]);

const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1).replace(/^-/, "");

/** A node (or npm) process that runs Pulse itself, npm or npx on the way to `pulse hook`. */
function isPulseOrNpm(info: ProcInfo): boolean {
  if (/^npm( |$)|^npx( |$)/.test(info.name)) return true;
  const runtime = baseName(info.argv[0] ?? info.name);
  if (runtime !== "node" && runtime !== "nodejs" && info.name !== "node") return false;
  return info.argv.slice(1).some((arg) => /(^|\/)(pulse(\.js)?|npm-cli\.js|npx-cli\.js)$/.test(arg));
}

/**
 * The rule for "which process is the agent": walking up from the hook's parent, skip shells and
 * wrappers (sh -c, bash, env, timeout…) and node/npm processes running Pulse, npm or npx; the first
 * other process is the agent (Claude Code's `claude`, a `node …/cli.js`, `codex`, `gemini`…).
 */
export function isPassThrough(info: ProcInfo): boolean {
  return PASS_THROUGH.has(baseName(info.name)) || PASS_THROUGH.has(baseName(info.argv[0] ?? "")) || isPulseOrNpm(info);
}

const MAX_DEPTH = 8;

/** The agent process above `startPid` (the hook's parent), or null when none can be told (pid 1, no data). */
export function findAgentProcess(startPid: number, read: (pid: number) => ProcInfo | null = readProc): ProcInfo | null {
  let pid = startPid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const info = read(pid);
    if (!info) return null;
    if (!isPassThrough(info)) return info;
    pid = info.ppid;
  }
  return null;
}
