import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppendedLines } from "./appended-lines";
import { ChangeAlarm } from "./change-alarm";

/**
 * Turns Claude Code ends without any hook: Esc while a tool runs or while the model streams, and "No"
 * (or Esc) at a permission dialog. Seen on Claude Code 2.1.197 (testdata/claude-code-2.1.197-*), the
 * only trace is what it writes locally:
 *
 * - the transcript (`transcript_path`, JSONL) gets a user entry whose whole content is one text block
 *   `[Request interrupted by user]` (Esc while streaming) or `[Request interrupted by user for tool
 *   use]` (Esc during a tool, or a declined permission; after a `tool_result` "User rejected tool
 *   use"), with its own `uuid` and `timestamp`;
 * - `~/.claude/sessions/<pid>.json` (per process: `sessionId`, `procStart`, `status` busy → idle,
 *   `statusUpdatedAt`) turns `idle` at the same moment.
 *
 * Both formats are undocumented. The transcript entry is the evidence (what and when); the session
 * file, where present, can only veto: it says the process now runs another session, or is busy again
 * since. Anything unexpected (no such file, another shape, a line that is not JSON) means no report,
 * which is Pulse's behaviour before this existed: the session stays working until its next hook.
 */
export const INTERRUPT_NEEDLE = "[Request interrupted by user";
const MARKER = /^\[Request interrupted by user( for tool use)?\]$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface Interrupt {
  /** The transcript entry's uuid: the report's stable id, so a re-read reports it once. */
  uuid: string;
  /** When Claude Code wrote it (epoch ms), or null when the entry has no readable timestamp. */
  time: number | null;
  /** The marker's text without brackets, e.g. "Request interrupted by user for tool use". */
  text: string;
}

/** The interrupt a transcript line records, or null for any other line (or one that is not JSON). */
export function interruptIn(line: string, sessionId: string): Interrupt | null {
  // Read defensively: any field may be missing or of another type.
  let entry: {
    type?: unknown;
    isSidechain?: unknown;
    isMeta?: unknown;
    origin?: { kind?: unknown };
    promptSource?: unknown;
    sessionId?: unknown;
    message?: { content?: unknown };
    uuid?: unknown;
    timestamp?: unknown;
  } | null;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (!entry || typeof entry !== "object" || entry.type !== "user") return null;
  // A subagent's transcript lines, Claude Code's own meta lines and what the person typed (a string
  // content, `origin.kind: "human"`) are not interrupts, whatever their text.
  if (
    entry.isSidechain === true ||
    entry.isMeta === true ||
    entry.origin?.kind === "human" ||
    entry.promptSource !== undefined
  )
    return null;
  if (typeof entry.sessionId === "string" && entry.sessionId !== sessionId) return null;
  const content = entry.message?.content;
  if (!Array.isArray(content) || content.length !== 1) return null;
  const block = content[0];
  if (!block || block.type !== "text" || typeof block.text !== "string") return null;
  const marker = block.text.trim();
  if (!MARKER.test(marker)) return null;
  if (typeof entry.uuid !== "string" || !SAFE_ID.test(entry.uuid)) return null;
  const time = typeof entry.timestamp === "string" ? Date.parse(entry.timestamp) : NaN;
  return { uuid: entry.uuid, time: Number.isFinite(time) ? time : null, text: marker.slice(1, -1) };
}

/** Where Claude Code keeps its per-process files: $CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeConfigDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CLAUDE_CONFIG_DIR) return env.CLAUDE_CONFIG_DIR;
  return env.HOME ? join(env.HOME, ".claude") : null;
}

const MAX_SESSION_FILE = 64 << 10;

/**
 * Whether Claude Code's per-process file (`~/.claude/sessions/<pid>.json`, parsed) lets this interrupt
 * stand: false only when it is this process's (same `procStart`) and says the process runs another
 * session now, or has been busy since the interrupt (the next prompt's hook reports that).
 */
export function sessionFileAllows(
  file: unknown,
  interrupt: Interrupt,
  sessionId: string,
  procStart: string | null,
): boolean {
  if (!file || typeof file !== "object" || Array.isArray(file)) return true;
  const f = file as Record<string, unknown>;
  // A file left by an earlier process with the same pid says nothing about this one.
  if (typeof f.procStart === "string" && procStart !== null && f.procStart !== procStart) return true;
  if (typeof f.sessionId === "string" && f.sessionId !== sessionId) return false;
  if (
    f.status === "busy" &&
    typeof f.statusUpdatedAt === "number" &&
    interrupt.time !== null &&
    f.statusUpdatedAt > interrupt.time
  )
    return false;
  return true;
}

/** The session file's JSON; null when absent, too big, unreadable or not JSON (it then says nothing). */
function readSessionFile(path: string): unknown {
  try {
    if (statSync(path).size > MAX_SESSION_FILE) return null;
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Watches one Claude Code session's transcript for interrupts; one stat per poll while nothing changes.
 * @lazy required when first used (`require(…) as typeof import(…)`), which knip cannot follow
 */
export class ClaudeInterrupts {
  private readonly lines: AppendedLines;
  private readonly sessionFile: string | null;
  private readonly procStart: string | null;
  private readonly alarm: ChangeAlarm | null;

  /** `onChange`: the transcript was just written to (poll now rather than at the next tick). */
  constructor(
    transcriptPath: string,
    private readonly sessionId: string,
    agent: { pid: number; startTime: string | null },
    onChange: (() => void) | null = null,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.lines = new AppendedLines(transcriptPath, INTERRUPT_NEEDLE);
    this.alarm = onChange ? new ChangeAlarm(transcriptPath, onChange) : null;
    const dir = claudeConfigDir(env);
    this.sessionFile = dir ? join(dir, "sessions", `${agent.pid}.json`) : null;
    this.procStart = agent.startTime;
  }

  /** Interrupts appended since the last poll that still stand. */
  poll(): Interrupt[] {
    this.alarm?.arm();
    const found: Interrupt[] = [];
    for (const line of this.lines.poll()) {
      const interrupt = interruptIn(line, this.sessionId);
      if (!interrupt) continue;
      if (
        this.sessionFile &&
        !sessionFileAllows(readSessionFile(this.sessionFile), interrupt, this.sessionId, this.procStart)
      )
        continue;
      found.push(interrupt);
    }
    return found;
  }

  stop(): void {
    this.alarm?.disarm();
  }
}
