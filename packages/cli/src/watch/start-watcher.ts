import { findAgentProcess } from "./agent-process";
import { type ProcInfo, readProc } from "./proc-info";
import { createWatcherRecord, isWatcherAlive, readWatcher, replaceWatcherRecord } from "./registry";

/**
 * V8 flags for the long-lived watcher, which only polls a pid: no JIT (~5 MiB less memory, and
 * nothing here is hot) and a small heap. Measured: ~40 MiB resident, ~2 ms CPU per second.
 */
export const WATCHER_NODE_FLAGS = ["--jitless", "--max-old-space-size=16"];

export type WatcherStart = "running" | "started" | "no-agent";

/** The agent: PULSE_AGENT_PID when set (an agent that knows better), else found from the parent chain. */
function agentProcess(): ProcInfo | null {
  const forced = Number(process.env.PULSE_AGENT_PID);
  if (Number.isInteger(forced) && forced > 1) return readProc(forced);
  return findAgentProcess(process.ppid);
}

/**
 * Makes sure one detached watcher watches this session's agent process. Cheap when one runs already
 * (a file read and a signal-0), so every hook can call it: a watcher lost to a reboot comes back with
 * the next event.
 */
export function ensureWatcher(home: string, source: string, sessionId: string, pulseScript: string): WatcherStart {
  const existing = readWatcher(home, sessionId);
  if (existing && isWatcherAlive(existing.watcher_pid)) return "running";
  const agent = agentProcess();
  if (!agent) return "no-agent";
  spawnWatcher(home, source, sessionId, agent, pulseScript, existing !== null);
  return "started";
}

/**
 * Starts the detached watcher for `agent` and records it. `replace`: a dead watcher's record is there.
 * Returns the watcher's pid, or null when it could not be started.
 */
export function spawnWatcher(home: string, source: string, sessionId: string, agent: ProcInfo, pulseScript: string, replace = false): number | null {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const args = [...WATCHER_NODE_FLAGS, pulseScript, "watch", "--session", sessionId, "--source", source, "--pid", String(agent.pid), "--name", agent.name];
  if (agent.startTime) args.push("--start", agent.startTime);
  // Detached: its own session and process group, so a closed terminal (SIGHUP) or Ctrl+C does not
  // reach it; no stdio, so it holds no terminal; cwd "/" so it keeps no directory busy.
  const child = spawn(process.execPath, args, { detached: true, stdio: "ignore", cwd: "/" });
  child.on("error", () => {});
  child.unref();
  if (child.pid === undefined) return null;
  const record = {
    session_id: sessionId,
    source,
    watcher_pid: child.pid,
    agent_pid: agent.pid,
    agent_name: agent.name,
    agent_start: agent.startTime,
    started_at: new Date().toISOString(),
  };
  // A concurrent hook may have started one first: then ours sees a foreign record and exits.
  if (replace) replaceWatcherRecord(home, record);
  else createWatcherRecord(home, record);
  return child.pid;
}
