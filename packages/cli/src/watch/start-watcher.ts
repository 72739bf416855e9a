import { processFacts } from "./agent-facts";
import { type AgentLocation, locateAgent } from "./agent-process";
import { type ProcInfo, readProc } from "./proc-info";
import { createWatcherRecord, isWatcherAlive, readWatcher, replaceWatcherRecord, type WatcherRecord } from "./registry";

/**
 * V8 flags for the long-lived watcher, which only polls a pid: no JIT (~5 MiB less memory, and
 * nothing here is hot) and a small heap. Measured: ~40 MiB resident, ~2 ms CPU per second.
 */
export const WATCHER_NODE_FLAGS = ["--jitless", "--max-old-space-size=16"];

export type WatcherStart = "running" | "started" | "no-agent";

/** What the hook knows about the session beyond its id, from the hook payload. */
export interface SessionContext {
  /** The session's working directory (`cwd`): tells a shared server's clients apart. */
  cwd?: string | null;
  /** Claude Code's `transcript_path`: where turns that end with no hook leave their trace. */
  transcriptPath?: string | null;
}

/** The agent: PULSE_AGENT_PID when set (an agent that knows better), else found from the parent chain. */
function agentLocation(source: string): AgentLocation | null {
  const forced = Number(process.env.PULSE_AGENT_PID);
  if (Number.isInteger(forced) && forced > 1) {
    const agent = readProc(forced);
    return agent ? { kind: "agent", agent } : null;
  }
  return locateAgent(process.ppid, processFacts(source));
}

/**
 * Makes sure one detached watcher watches this session's agent process. Cheap when one runs already
 * (a file read and a signal-0), so every hook can call it: a watcher lost to a reboot comes back with
 * the next event.
 * @lazy required when first used (`require(…) as typeof import(…)`), which knip cannot follow
 */
export function ensureWatcher(
  home: string,
  source: string,
  sessionId: string,
  pulseScript: string,
  context: SessionContext = {},
): WatcherStart {
  const existing = readWatcher(home, sessionId);
  if (existing?.unwatched) return "no-agent";
  if (existing && isWatcherAlive(existing.watcher_pid)) return "running";
  const location = agentLocation(source);
  if (!location) return "no-agent";
  const started =
    location.kind === "agent"
      ? spawnWatcher(home, source, sessionId, location.agent, pulseScript, { ...context, replace: existing !== null })
      : spawnServerClientWatcher(home, source, sessionId, location.server, pulseScript, {
          ...context,
          replace: existing !== null,
        });
  return started === null ? "no-agent" : "started";
}

export interface SpawnOptions extends SessionContext {
  /** A dead watcher's record is there: replace it. */
  replace?: boolean;
}

/**
 * Starts the detached watcher for `agent` and records it. Returns the watcher's pid, or null when it
 * could not be started.
 */
export function spawnWatcher(
  home: string,
  source: string,
  sessionId: string,
  agent: ProcInfo,
  pulseScript: string,
  options: SpawnOptions = {},
): number | null {
  const args = ["--pid", String(agent.pid), "--name", agent.name];
  if (agent.startTime) args.push("--start", agent.startTime);
  return spawnDetached(home, source, sessionId, args, pulseScript, options, {
    agent_pid: agent.pid,
    agent_name: agent.name,
    agent_start: agent.startTime,
  });
}

/**
 * The hook ran in a shared server (Codex's app-server): the watcher finds which of its clients is the
 * session's (shared-server-clients.ts) and records it; until then the record names the server.
 */
function spawnServerClientWatcher(
  home: string,
  source: string,
  sessionId: string,
  server: ProcInfo,
  pulseScript: string,
  options: SpawnOptions,
): number | null {
  const args = ["--server", String(server.pid)];
  if (server.startTime) args.push("--server-start", server.startTime);
  return spawnDetached(home, source, sessionId, args, pulseScript, options, {
    agent_pid: server.pid,
    agent_name: `${server.name} (shared server)`,
    agent_start: server.startTime,
  });
}

function spawnDetached(
  home: string,
  source: string,
  sessionId: string,
  targetArgs: string[],
  pulseScript: string,
  options: SpawnOptions,
  agent: Pick<WatcherRecord, "agent_pid" | "agent_name" | "agent_start">,
): number | null {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const args = [...WATCHER_NODE_FLAGS, pulseScript, "watch", "--session", sessionId, "--agent", source, ...targetArgs];
  if (options.cwd) args.push("--cwd", options.cwd);
  if (options.transcriptPath) args.push("--transcript", options.transcriptPath);
  // Detached: its own session and process group, so a closed terminal (SIGHUP) or Ctrl+C does not
  // reach it; no stdio, so it holds no terminal; cwd "/" so it keeps no directory busy.
  const child = spawn(process.execPath, args, { detached: true, stdio: "ignore", cwd: "/" });
  child.on("error", () => {});
  child.unref();
  if (child.pid === undefined) return null;
  const record: WatcherRecord = {
    session_id: sessionId,
    source,
    watcher_pid: child.pid,
    ...agent,
    started_at: new Date().toISOString(),
  };
  // A concurrent hook may have started one first: then ours sees a foreign record and exits.
  if (options.replace) replaceWatcherRecord(home, record);
  else createWatcherRecord(home, record);
  return child.pid;
}
