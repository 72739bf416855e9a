import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { watchersDir } from "../env/paths";
import { fnv1a } from "../env/unique-id";

/**
 * One file per watched session under $PULSE_HOME/watchers. Its existence means "this session is being
 * watched by watcher_pid"; removing it (the SessionEnd hook does) tells the watcher to stop quietly.
 */
export interface WatcherRecord {
  session_id: string;
  source: string;
  watcher_pid: number;
  agent_pid: number;
  agent_name: string;
  agent_start: string | null;
  started_at: string;
  /** When the session's process could not be told from others (see shared-server-clients.ts): all of them. */
  agent_pids?: number[];
  /**
   * Set when the session has no process to watch (its hooks run in a shared server none of whose
   * clients is it, e.g. an IDE's): the record stays so that later hooks do not start a watcher again.
   */
  unwatched?: string;
}

/**
 * Session ids are arbitrary strings: the file name is the id made safe and short, plus a digest of
 * the whole id so two ids that read the same once made safe still get two files. The id is inside.
 */
export function watcherFile(home: string, sessionId: string): string {
  const safe = sessionId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);
  return join(watchersDir(home), `${safe}-${fnv1a(sessionId)}.json`);
}

export function readWatcherFile(path: string): WatcherRecord | null {
  try {
    const record = JSON.parse(readFileSync(path, "utf8"));
    return record && typeof record.session_id === "string" && Number.isInteger(record.watcher_pid)
      ? (record as WatcherRecord)
      : null;
  } catch {
    return null;
  }
}

export function readWatcher(home: string, sessionId: string): WatcherRecord | null {
  return readWatcherFile(watcherFile(home, sessionId));
}

/** Creates the record only if none exists (one watcher per session); false when one does. */
export function createWatcherRecord(home: string, record: WatcherRecord): boolean {
  mkdirSync(watchersDir(home), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(watcherFile(home, record.session_id), "wx", 0o600);
    writeSync(fd, JSON.stringify(record));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Replaces a record whose watcher is dead, atomically. */
export function replaceWatcherRecord(home: string, record: WatcherRecord): void {
  const path = watcherFile(home, record.session_id);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  writeSync(fd, JSON.stringify(record));
  closeSync(fd);
  renameSync(tmp, path);
}

export function removeWatcherRecord(home: string, sessionId: string): void {
  try {
    unlinkSync(watcherFile(home, sessionId));
  } catch {
    // no watcher for this session
  }
}

/** Is `pid` a live Pulse watcher (and not a process that reused a dead watcher's pid)? */
export function isWatcherAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv.includes("watch");
  } catch (error) {
    // Without /proc the pid check is all there is.
    return (error as NodeJS.ErrnoException).code !== "ENOENT" || !procAvailable();
  }
}

function procAvailable(): boolean {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

export interface ListedWatcher {
  file: string;
  record: WatcherRecord;
  alive: boolean;
}

export function listWatchers(home: string): ListedWatcher[] {
  let names: string[];
  try {
    names = readdirSync(watchersDir(home)).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const listed: ListedWatcher[] = [];
  for (const name of names) {
    const file = join(watchersDir(home), name);
    const record = readWatcherFile(file);
    // A session marked unwatched has no watcher, by design: not a watcher that died.
    if (record && !record.unwatched) listed.push({ file, record, alive: isWatcherAlive(record.watcher_pid) });
  }
  return listed;
}
