import { isSameProcessAlive } from "./proc-info";

export interface WatchedProcess {
  pid: number;
  name: string;
  /** Start time (Linux clock ticks): tells the process from a later one that reused its pid. */
  startTime: string | null;
}

/**
 * The process (or, when it cannot be told which, the processes: see shared-server-clients.ts) whose
 * life is the session's. The session's process is among them, so the session is over only when all
 * are gone: an ambiguity delays the end, never ends a live session.
 */
export class WatchedProcesses {
  private alive: WatchedProcess[];
  private lastGone: WatchedProcess | null = null;

  constructor(processes: WatchedProcess[]) {
    this.alive = [...processes];
  }

  /** Checks each (a signal 0 and one /proc read); true while at least one lives. */
  check(): boolean {
    const before = this.alive;
    this.alive = before.filter((p) => isSameProcessAlive(p.pid, p.startTime));
    if (this.alive.length < before.length) this.lastGone = before.find((p) => !this.alive.includes(p)) ?? this.lastGone;
    return this.alive.length > 0;
  }

  get pids(): number[] {
    return this.alive.map((p) => p.pid);
  }

  /** The one that went last, for the end's detail. */
  get last(): WatchedProcess | null {
    return this.lastGone;
  }
}
