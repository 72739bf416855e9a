import { isNeverTheSession, type ProcessFacts, processFacts } from "./agent-facts";
import { type ProcInfo, readProc } from "./proc-info";

/** Programs that only pass a hook command along: the agent is above them. */
const PASS_THROUGH = new Set([
  "sh",
  "bash",
  "dash",
  "zsh",
  "fish",
  "ksh",
  "mksh",
  "ash",
  "busybox",
  "env",
  "timeout",
  "nice",
  "nohup",
  "stdbuf",
  "time",
  "xargs",
]);

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

/**
 * Where the hook's chain of parents leads: the agent's process, or a shared server that runs hooks
 * for sessions whose processes are its clients (Codex's app-server: see agent-facts.ts).
 */
export type AgentLocation = { kind: "agent"; agent: ProcInfo } | { kind: "shared-server"; server: ProcInfo };

/**
 * The agent process above `startPid` (the hook's parent), or null when none can be told (pid 1, no
 * data). A process the agent's facts say is never a session's (a shared server) stops the walk: its
 * parent, if any, is whichever client happened to start it, not this session's process.
 */
export function locateAgent(
  startPid: number,
  facts: ProcessFacts,
  read: (pid: number) => ProcInfo | null = readProc,
): AgentLocation | null {
  let pid = startPid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const info = read(pid);
    if (!info) return null;
    if (isNeverTheSession(info.argv, facts)) return { kind: "shared-server", server: info };
    if (!isPassThrough(info)) return { kind: "agent", agent: info };
    pid = info.ppid;
  }
  return null;
}

/** The agent process above `startPid` when the chain leads straight to it (no shared server). */
export function findAgentProcess(
  startPid: number,
  read: (pid: number) => ProcInfo | null = readProc,
  source = "",
): ProcInfo | null {
  const location = locateAgent(startPid, processFacts(source), read);
  return location?.kind === "agent" ? location.agent : null;
}
