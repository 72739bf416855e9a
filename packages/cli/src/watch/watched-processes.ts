import { controllingTerminal, isSameProcessAlive } from "./proc-info";

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
  private terminalClosed = false;
  private readonly all: WatchedProcess[];
  /** Each one's controlling terminal when the watch began (0 or absent: none, e.g. a headless run). */
  private readonly terminals = new Map<number, number>();

  constructor(processes: WatchedProcess[]) {
    this.all = [...processes];
    this.alive = [...processes];
    // Read now, while the session runs: a terminal closed later shows as that terminal gone.
    for (const p of processes) this.terminals.set(p.pid, controllingTerminal(p.pid) ?? 0);
  }

  /** Checks each (a signal 0 and one /proc read); true while at least one lives. */
  check(): boolean {
    const before = this.alive;
    this.alive = before.filter((p) => isSameProcessAlive(p.pid, p.startTime, this.terminals.get(p.pid) ?? null));
    if (this.alive.length < before.length) {
      this.lastGone = before.find((p) => !this.alive.includes(p)) ?? this.lastGone;
      // Still running, only without its terminal: say so in the end's detail.
      this.terminalClosed = this.lastGone !== null && isSameProcessAlive(this.lastGone.pid, this.lastGone.startTime);
    }
    return this.alive.length > 0;
  }

  get pids(): number[] {
    return this.alive.map((p) => p.pid);
  }

  /** The one that went last: its pid keys the end event. */
  get last(): WatchedProcess | null {
    return this.lastGone;
  }

  /** For the end's detail: "agent process 42 (claude) exited", or all of them when it was a set. */
  describeExit(): string {
    if (this.all.length === 1)
      return `agent process ${this.all[0].pid} (${this.all[0].name}) ${this.terminalClosed ? "lost its terminal (closed)" : "exited"}`;
    return `agent processes ${this.all.map((p) => p.pid).join(", ")} (${this.all[0].name}; which one was the session's could not be told) all exited`;
  }
}
