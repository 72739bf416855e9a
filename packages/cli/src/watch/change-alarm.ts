import { type FSWatcher, statSync, watch } from "node:fs";

/**
 * Calls `onChange` as soon as a file changes (inotify through fs.watch), so a poll can follow at once
 * instead of at the next tick. Only a shortcut: polling still runs, so a missed event, a file system
 * without notifications or an exhausted watch limit cost latency, never correctness. `arm()` (called
 * every poll) starts watching once the file exists and again after it was replaced.
 */
export class ChangeAlarm {
  private watcher: FSWatcher | null = null;
  private ino: number | null = null;

  constructor(
    private readonly path: string,
    private readonly onChange: () => void,
  ) {}

  arm(): void {
    let ino: number;
    try {
      ino = statSync(this.path).ino;
    } catch {
      return this.disarm();
    }
    if (this.watcher && ino === this.ino) return;
    this.disarm();
    try {
      // Not persistent: the watch loop, not this, keeps the process alive.
      this.watcher = watch(this.path, { persistent: false }, (event) => {
        if (event === "rename") this.disarm(); // replaced or removed: re-armed on the next poll
        this.onChange();
      });
      this.watcher.on("error", () => this.disarm());
      this.ino = ino;
    } catch {
      this.watcher = null; // e.g. ENOSPC (inotify watches exhausted): polling alone
    }
  }

  disarm(): void {
    this.watcher?.close();
    this.watcher = null;
    this.ino = null;
  }
}
