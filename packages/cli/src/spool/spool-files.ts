import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { uniqueId } from "../env/unique-id";

/** One event waiting to be delivered: the HTTP request to replay, exactly as first stamped. */
export interface SpoolRecord {
  v: 1;
  /** API path, e.g. /v1/hooks/claude-code or /v1/events. */
  path: string;
  /** When the event happened (epoch ms): sent as X-Pulse-Event-Time on every attempt. */
  time: number;
  /** Idempotency key: the same on every attempt, so a retry after a lost answer is not a duplicate. */
  key: string;
  /** The request body, verbatim. */
  body: string;
}

let sequence = 0;

/**
 * File names sort oldest first: zero-padded event time, then a per-process counter (two events of one
 * process in the same millisecond keep their order), then a unique id against collisions.
 */
function spoolName(time: number): string {
  sequence += 1;
  return `${String(time).padStart(15, "0")}-${String(sequence).padStart(4, "0")}-${uniqueId()}.json`;
}

/**
 * Writes a record atomically: a temporary file, flushed, then renamed into place, so a reader never
 * sees half an event and a crash leaves either the whole event or nothing. Throws on failure (full
 * disk, permissions): the caller decides what to do with the event then.
 */
export function writeSpoolRecord(dir: string, record: SpoolRecord): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = spoolName(record.time);
  const tmp = join(dir, `.tmp-${name}`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, JSON.stringify(record));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // best effort: the write already failed
    }
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, join(dir, name));
  return name;
}

/** Spooled event files, oldest first. A missing directory is an empty spool. */
export function listSpool(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json") && !name.startsWith("."))
      .sort();
  } catch {
    return [];
  }
}

/** The record in a spool file, "missing" when it vanished (another run sent it), "corrupt" when it is not a record. */
export function readSpoolRecord(dir: string, name: string): SpoolRecord | "missing" | "corrupt" {
  let text: string;
  try {
    text = readFileSync(join(dir, name), "utf8");
  } catch {
    return "missing";
  }
  try {
    const record = JSON.parse(text);
    if (
      record &&
      record.v === 1 &&
      typeof record.path === "string" &&
      typeof record.time === "number" &&
      typeof record.key === "string" &&
      typeof record.body === "string"
    ) {
      return record as SpoolRecord;
    }
  } catch {
    // fall through
  }
  return "corrupt";
}

export function removeSpoolFile(dir: string, name: string): void {
  try {
    unlinkSync(join(dir, name));
  } catch {
    // already gone: another run delivered it
  }
}

/** Moves an event the API refused as invalid out of the queue, with the reason next to it. */
export function moveToRejected(dir: string, name: string, rejectedDir: string, reason: string): void {
  try {
    mkdirSync(rejectedDir, { recursive: true, mode: 0o700 });
    renameSync(join(dir, name), join(rejectedDir, name));
    const fd = openSync(join(rejectedDir, `${name}.reason.txt`), "w", 0o600);
    writeSync(fd, reason + "\n");
    closeSync(fd);
  } catch {
    removeSpoolFile(dir, name);
  }
}
