import { closeSync, openSync, readSync, statSync } from "node:fs";

/** Most bytes read per poll. */
const MAX_READ = 1 << 20;
/** A backlog larger than this (a huge tool output between two polls) is skipped but for its end. */
const MAX_BACKLOG = 4 << 20;
/** Lines longer than this are never parsed (the lines looked for are under a kilobyte). */
const MAX_LINE = 64 << 10;

/**
 * The complete lines appended to a file (a JSONL transcript) since the last poll that contain a
 * needle, read cheaply and defensively: one stat per poll; only what was appended, at most MAX_READ
 * per poll; a partial last line waits for its end; a backlog over MAX_BACKLOG is skipped to its last
 * MAX_READ (what matters is the newest state); a replaced or truncated file is read from its start; a
 * missing one is waited for. Only the lines holding the needle become strings.
 */
export class AppendedLines {
  private offset = 0;
  private ino: number | null = null;
  /** The next bytes are the middle of a line whose start was skipped. */
  private midLine = false;

  constructor(
    private readonly path: string,
    private readonly needle: string,
  ) {
    // What is there already happened before the watch began (a resumed session): not news.
    const stat = this.stat();
    if (stat) {
      this.ino = stat.ino;
      this.offset = stat.size;
    }
  }

  poll(): string[] {
    const stat = this.stat();
    if (!stat) return [];
    if (this.ino !== stat.ino || stat.size < this.offset) {
      // Created after the watch began, replaced, or truncated: all of it is new.
      this.ino = stat.ino;
      this.offset = 0;
      this.midLine = false;
    }
    if (stat.size === this.offset) return [];
    if (stat.size - this.offset > MAX_BACKLOG) {
      this.offset = stat.size - MAX_READ;
      this.midLine = true;
    }
    const chunk = this.read(Math.min(MAX_READ, stat.size - this.offset));
    if (!chunk) return [];
    const lastNewline = chunk.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      // No line ends here: wait for its end, unless it is already longer than anything worth reading.
      if (chunk.length >= MAX_READ) {
        this.offset += chunk.length;
        this.midLine = true;
      }
      return [];
    }
    let start = 0;
    if (this.midLine) {
      start = chunk.indexOf(0x0a) + 1;
      this.midLine = false;
    }
    this.offset += lastNewline + 1;
    return this.linesWithNeedle(chunk.subarray(start, lastNewline + 1));
  }

  private linesWithNeedle(complete: Buffer): string[] {
    const lines: string[] = [];
    let from = 0;
    for (;;) {
      const at = complete.indexOf(this.needle, from, "utf8");
      if (at < 0) return lines;
      const lineStart = complete.lastIndexOf(0x0a, at) + 1;
      const lineEnd = complete.indexOf(0x0a, at);
      if (lineEnd - lineStart <= MAX_LINE) lines.push(complete.toString("utf8", lineStart, lineEnd));
      from = lineEnd + 1;
    }
  }

  private stat(): { ino: number; size: number } | null {
    try {
      const stat = statSync(this.path);
      return stat.isFile() ? { ino: stat.ino, size: stat.size } : null;
    } catch {
      return null;
    }
  }

  private read(length: number): Buffer | null {
    let fd: number | null = null;
    try {
      fd = openSync(this.path, "r");
      const buffer = Buffer.allocUnsafe(length);
      const bytes = readSync(fd, buffer, 0, length, this.offset);
      return buffer.subarray(0, bytes);
    } catch {
      return null;
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
}
