import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { CliError } from "./errors";

/** A config file as found: its text (to diff and back up) and, for JSON, its data and indentation. */
export interface LoadedFile {
  path: string;
  exists: boolean;
  text: string;
}

/** Reads a file an agent owns; a missing one is empty. A symlink (dotfile managers) is followed. */
export function loadFile(path: string): LoadedFile {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // does not exist yet
  }
  if (!existsSync(real)) return { path: real, exists: false, text: "" };
  try {
    return { path: real, exists: true, text: readFileSync(real, "utf8") };
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

export function parseJsonSettings(file: LoadedFile): Record<string, unknown> {
  if (!file.exists || file.text.trim() === "") return {};
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (error) {
    throw new CliError(
      `${file.path} is not valid JSON (${(error as Error).message}); fix it first, Pulse will not overwrite it`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new CliError(`${file.path} is not a JSON object; fix it first, Pulse will not overwrite it`);
  return data as Record<string, unknown>;
}

/** The file's own indentation (two spaces when new), so a merge does not reformat someone's file. */
export function detectIndent(text: string): string {
  const match = /^[{[][^\n]*\n([ \t]+)\S/.exec(text);
  return match ? match[1] : "  ";
}

export function renderJson(data: unknown, indent: string): string {
  return JSON.stringify(data, null, indent) + "\n";
}

export const backupPath = (path: string): string => `${path}.pulse-backup`;

/**
 * Replaces a file atomically (temporary file in the same directory, flushed, renamed over it) after
 * saving the previous content as `<file>.pulse-backup`. Keeps the file's mode.
 */
export function writeFileAtomically(file: LoadedFile, text: string): { backup: string | null } {
  const dir = dirname(file.path);
  mkdirSync(dir, { recursive: true });
  let backup: string | null = null;
  let mode = 0o644;
  if (file.exists) {
    mode = statSync(file.path).mode & 0o777;
    backup = backupPath(file.path);
    writeDurably(backup, file.text, mode);
  }
  const tmp = `${file.path}.pulse-tmp-${process.pid}`;
  try {
    writeDurably(tmp, text, mode);
    renameSync(tmp, file.path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw new CliError(`cannot write ${file.path}: ${(error as Error).message}`);
  }
  return { backup };
}

function writeDurably(path: string, text: string, mode: number): void {
  const fd = openSync(path, "w", mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, mode);
}
