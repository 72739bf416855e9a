/** What `pulse watch` is started with (by start-watcher.ts; not meant for people). */
export interface WatchArgs {
  sessionId: string;
  source: string;
  /** The agent's process, when the hook's parent chain led to it. */
  agent: { pid: number; name: string; startTime: string | null } | null;
  /** A shared server the hook ran in instead (Codex's app-server): the agent is one of its clients. */
  server: { pid: number; startTime: string | null } | null;
  cwd: string | null;
  transcriptPath: string | null;
}

export function parseWatchArgs(argv: string[]): WatchArgs | null {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : undefined;
  };
  const pid = (flag: string) => {
    const n = Number(value(flag));
    return Number.isInteger(n) && n > 1 ? n : null;
  };
  const sessionId = value("--session");
  const agentPid = pid("--pid");
  const serverPid = pid("--server");
  if (!sessionId || (agentPid === null && serverPid === null)) return null;
  return {
    sessionId,
    source: value("--agent") || "claude-code",
    agent:
      agentPid === null
        ? null
        : { pid: agentPid, name: value("--name") || "agent", startTime: value("--start") || null },
    server:
      agentPid !== null || serverPid === null ? null : { pid: serverPid, startTime: value("--server-start") || null },
    cwd: value("--cwd") || null,
    transcriptPath: value("--transcript") || null,
  };
}
