import { statSync } from "node:fs";
import { pulseHome, spoolDir } from "../env/paths";
import { type SpoolRecord, writeSpoolRecord } from "../spool/spool-files";
import { processFacts } from "./agent-facts";
import { type Interrupt } from "./claude-interrupts";
import { lingerForSpool } from "./linger";
import { isSameProcessAlive, readProc } from "./proc-info";
import { ProofOfLife } from "./proof-of-life";
import {
  isWatcherAlive,
  readWatcher,
  removeWatcherRecord,
  replaceWatcherRecord,
  watcherFile,
  type WatcherRecord,
} from "./registry";
import { SpoolCourier } from "./spool-courier";
import { parseWatchArgs, type WatchArgs } from "./watch-args";
import { type WatchedProcess, WatchedProcesses } from "./watched-processes";

/** How often the agent's pid is checked: a signal-0 and one /proc read, so ~nothing. */
const POLL_MS = 500;
/** The hook writes the watcher's record right after spawning it; give it that long. */
const RECORD_GRACE_MS = 3000;
const MIN_NAP_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pause of the watch loop that `wake()` cuts short (something worth a look happened). */
class Nap {
  private cut: (() => void) | null = null;
  /** Woken while awake: the next nap is skipped, so nothing that happened meanwhile waits a tick. */
  private pending = false;

  take(ms: number): Promise<void> {
    if (this.pending) {
      // A short pause still: a file written in a burst wakes the loop at most every MIN_NAP_MS.
      this.pending = false;
      return sleep(MIN_NAP_MS).then(() => {});
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.cut = null;
        resolve();
      }, ms);
      this.cut = () => {
        clearTimeout(timer);
        this.cut = null;
        resolve();
      };
    });
  }

  wake(): void {
    if (this.cut) this.cut();
    else this.pending = true;
  }
}

/**
 * `pulse watch` (started detached by the hook, not meant for people). While the agent's process
 * lives it sends proof of life, reports Claude Code turns that end with no hook (interrupts), and
 * delivers what waits in the spool. When the process is gone it reports the session's end
 * (`process_exit`), unless the session ended first (the SessionEnd hook removes the watcher's record).
 * Either way it then stays until the spool is delivered (bounded, linger.ts) and exits.
 */
export function runWatcher(argv: string[]): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "pulse watch: internal, started detached by `pulse hook` to watch an agent's process (see docs/cli.md).\n",
    );
    process.exit(0);
  }
  const args = parseWatchArgs(argv);
  if (!args) {
    process.stderr.write("pulse watch: internal command; needs --session ID and --pid PID or --server PID\n");
    process.exit(2);
  }
  // No terminal is held, but be explicit: a hang-up is not a reason to stop watching.
  process.on("SIGHUP", () => {});
  watch(args).then(
    () => process.exit(0),
    () => process.exit(0),
  );
}

/** The session's record, re-read only when the file changed: most polls are one stat. */
function recordReader(home: string, sessionId: string): () => WatcherRecord | null {
  const path = watcherFile(home, sessionId);
  let seen = "";
  let cached: WatcherRecord | null = null;
  return () => {
    let stamp: string;
    try {
      const stat = statSync(path);
      stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return null;
    }
    if (stamp !== seen) {
      cached = readWatcher(home, sessionId);
      seen = stamp;
    }
    return cached;
  };
}

/** Waits for the hook to write our record; null when it never came or another live watcher owns it. */
async function claimRecord(home: string, readRecord: () => WatcherRecord | null): Promise<WatcherRecord | null> {
  const began = Date.now();
  for (;;) {
    const record = readRecord();
    if (record) {
      if (record.watcher_pid === process.pid) return record;
      if (isWatcherAlive(record.watcher_pid)) return null; // another watcher has this session
      const mine = { ...record, watcher_pid: process.pid };
      replaceWatcherRecord(home, mine);
      return mine;
    }
    if (Date.now() - began >= RECORD_GRACE_MS) return null;
    await sleep(POLL_MS / 5);
  }
}

/** The processes whose life is the session's: the agent, or the shared server's clients that may be it. */
function sessionProcesses(args: WatchArgs): WatchedProcess[] {
  if (args.agent) return [args.agent];
  if (!args.server || !isSameProcessAlive(args.server.pid, args.server.startTime)) return [];
  const server = readProc(args.server.pid);
  if (!server) return [];
  const facts = processFacts(args.source);
  const { findServerClients } = require("./shared-server-clients") as typeof import("./shared-server-clients");
  return findServerClients({ server, facts, cwd: args.cwd, homeVariable: facts.homeVariable }).map((p) => ({
    pid: p.pid,
    name: p.name,
    startTime: p.startTime,
  }));
}

async function watch(args: WatchArgs): Promise<void> {
  const home = pulseHome();
  const readRecord = recordReader(home, args.sessionId);
  const courier = new SpoolCourier(home);
  let record = await claimRecord(home, readRecord);
  if (!record) return; // another watcher has the session, or the hook never recorded us

  const found = sessionProcesses(args);
  if (found.length === 0) {
    // Nothing to watch (its hooks run in a shared server none of whose clients is it): say so in the
    // record, so that later hooks do not start a watcher again, and leave the session to the timeout.
    replaceWatcherRecord(home, { ...record, unwatched: "no client of the shared server is this session's process" });
    return lingerForSpool(home, courier);
  }
  if (args.server) {
    record = {
      ...record,
      agent_pid: found[0].pid,
      agent_name: found[0].name,
      agent_start: found[0].startTime,
      ...(found.length > 1 ? { agent_pids: found.map((p) => p.pid) } : {}),
    };
    replaceWatcherRecord(home, record);
  }
  const processes = new WatchedProcesses(found);
  const life = new ProofOfLife(home, args.sessionId, args.source, Date.now());
  const nap = new Nap();
  const interrupts =
    args.transcriptPath && args.source === "claude-code" && args.agent
      ? new (require("./claude-interrupts") as typeof import("./claude-interrupts")).ClaudeInterrupts(
          args.transcriptPath,
          args.sessionId,
          args.agent,
          () => nap.wake(),
        )
      : null;

  for (;;) {
    const current = readRecord();
    // The session ended (SessionEnd removed the record) or another watcher took it over.
    if (!current || current.watcher_pid !== process.pid) break;
    if (!processes.check()) {
      reportExit(home, args, processes.last ?? found[0], processes.describeExit());
      courier.kick();
      break;
    }
    const now = Date.now();
    life.tick(now);
    for (const interrupt of safePoll(interrupts)) {
      spool(home, interruptRecord(args, interrupt, now));
      courier.kick();
    }
    courier.tick(now);
    await nap.take(POLL_MS);
  }
  interrupts?.stop();
  await lingerForSpool(home, courier);
}

/** Whatever the transcript holds, reading it never stops the watch. */
function safePoll(interrupts: { poll(): Interrupt[] } | null): Interrupt[] {
  if (!interrupts) return [];
  try {
    return interrupts.poll();
  } catch {
    return [];
  }
}

/** Spooled first, so an outage cannot lose it; the courier delivers it. Sent directly if the disk refuses. */
function spool(home: string, record: SpoolRecord): void {
  try {
    writeSpoolRecord(spoolDir(home), record);
  } catch {
    void (require("../spool/send-record") as typeof import("../spool/send-record")).sendRecord(
      (require("../env/client-config") as typeof import("../env/client-config")).loadClientConfig(home),
      record,
      Date.now() + 3000,
      3000,
    );
  }
}

/** Contract 2: a state the watcher inferred locally is a plain event, keyed by what was seen. */
function interruptRecord(args: WatchArgs, interrupt: Interrupt, now: number): SpoolRecord {
  // The entry's own time, unless it is unreadable or in the future (a skewed or bogus stamp).
  const time = interrupt.time !== null && interrupt.time <= now + 1000 ? interrupt.time : now;
  const id = `watcher:interrupted:${interrupt.uuid}`;
  const body = JSON.stringify({
    session_id: args.sessionId,
    source: args.source,
    kind: "attention",
    waiting_reason: "interrupted",
    name: "watcher.interrupted",
    time,
    id,
    detail: interrupt.text,
  });
  return { v: 1, path: "/v1/events", time, key: id, body };
}

/** The end event, at the time the process was found gone. */
function reportExit(home: string, args: WatchArgs, gone: WatchedProcess, detail: string): void {
  const time = Date.now();
  const id = `process-exit:${gone.pid}`;
  const body = JSON.stringify({
    session_id: args.sessionId,
    source: args.source,
    kind: "end",
    end_reason: "process_exit",
    end_detail: detail,
    time,
    id,
  });
  spool(home, { v: 1, path: "/v1/events", time, key: id, body });
  // The record goes now: a hook that runs after this (the agent's last) must not think we still watch.
  removeWatcherRecord(home, args.sessionId);
}
