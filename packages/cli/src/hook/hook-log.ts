import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";

/** The hook's own log: agents show a hook's stderr to the user (Gemini under every hook), so it writes here. */
export const hookLogFile = (home: string): string => join(home, "hook.log");

/** Past this size the log becomes hook.log.1 (the one before is dropped): a long outage logs a line per hook. */
const MAX_LOG_BYTES = 512 * 1024;

/**
 * Appends one line, `<ISO time> [pid] <message>`, to $PULSE_HOME/hook.log. Never throws: a hook
 * that cannot log still must not fail the agent. With PULSE_DEBUG=1 the line also goes to stderr,
 * for a person trying the hook by hand (never for agents: some show stderr, some hand the hook
 * their terminal).
 */
export function logHookProblem(home: string, message: string): void {
  const line = `${new Date().toISOString()} [${process.pid}] ${message.replace(/[\r\n]+/g, " ")}\n`;
  if (process.env.PULSE_DEBUG) process.stderr.write(`pulse: ${message}\n`);
  const file = hookLogFile(home);
  try {
    try {
      if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
    } catch {
      mkdirSync(home, { recursive: true, mode: 0o700 }); // no log yet
    }
    appendFileSync(file, line, { mode: 0o600 });
  } catch {
    // full disk, read-only home: nothing more can be done without bothering the agent
  }
}

export interface LoggedProblem {
  time: number;
  message: string;
}

/** The problems logged since `sinceMs`, oldest first (for `pulse doctor`). */
export function readHookProblems(home: string, sinceMs: number): LoggedProblem[] {
  let text: string;
  try {
    text = readFileSync(hookLogFile(home), "utf8");
  } catch {
    return [];
  }
  const problems: LoggedProblem[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\S+) \[\d+\] (.*)$/.exec(line);
    if (!match) continue;
    const time = Date.parse(match[1]);
    if (Number.isFinite(time) && time >= sinceMs) problems.push({ time, message: match[2] });
  }
  return problems;
}
