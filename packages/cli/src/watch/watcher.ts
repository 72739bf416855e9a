import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadClientConfig } from "../env/client-config";
import { pulseHome, rejectedDir, spoolDir } from "../env/paths";
import { drainSpool } from "../spool/drain";
import { sendRecord } from "../spool/send-record";
import { listSpool, type SpoolRecord, writeSpoolRecord } from "../spool/spool-files";
import { isSameProcessAlive } from "./proc-info";
import { isWatcherAlive, readWatcher, removeWatcherRecord, replaceWatcherRecord, watcherFile, type WatcherRecord } from "./registry";

/** How often the agent's pid is checked: a signal-0 and one /proc read, so ~nothing. */
const POLL_MS = 500;
/** The hook writes the watcher's record right after spawning it; give it that long. */
const RECORD_GRACE_MS = 3000;
/** While waiting, deliver what other runs left in the spool this often (an outage heals by itself). */
const SPOOL_CHECK_MS = 10_000;
/** After the agent is gone, keep trying to deliver its end for this long before leaving it spooled. */
const DELIVERY_PATIENCE_MS = 10 * 60_000;

interface WatchTarget {
  sessionId: string;
  source: string;
  pid: number;
  name: string;
  startTime: string | null;
}

function parseWatchArgs(argv: string[]): WatchTarget | null {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const pid = Number(value("--pid"));
  const sessionId = value("--session");
  if (!sessionId || !Number.isInteger(pid) || pid <= 1) return null;
  return { sessionId, source: value("--source") || "claude-code", pid, name: value("--name") || "agent", startTime: value("--start") || null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `pulse watch` (started detached by the hook, not meant for people): waits for the agent process to
 * go away, then reports the session's end with end_reason "process_exit", unless the session ended
 * first (the SessionEnd hook removes the watcher's record, which stops the watcher quietly).
 */
export function runWatcher(argv: string[]): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write("pulse watch: internal, started detached by `pulse hook` to watch an agent's process (see docs/cli.md).\n");
    process.exit(0);
  }
  const target = parseWatchArgs(argv);
  if (!target) {
    process.stderr.write("pulse watch: internal command; needs --session ID --pid PID\n");
    process.exit(2);
  }
  // No terminal is held, but be explicit: a hang-up is not a reason to stop watching.
  process.on("SIGHUP", () => {});
  watch(target).then(
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

async function watch(target: WatchTarget): Promise<void> {
  const home = pulseHome();
  const began = Date.now();
  const readRecord = recordReader(home, target.sessionId);
  let lastSpoolCheck = Date.now();
  for (;;) {
    const record = readRecord();
    if (!record) {
      if (Date.now() - began < RECORD_GRACE_MS) {
        await sleep(POLL_MS / 5);
        continue;
      }
      return; // the session ended (SessionEnd) or someone stopped the watch
    }
    if (record.watcher_pid !== process.pid) {
      if (isWatcherAlive(record.watcher_pid)) return; // another watcher has this session
      replaceWatcherRecord(home, { ...record, watcher_pid: process.pid });
    }
    if (!isSameProcessAlive(target.pid, target.startTime)) {
      await reportExit(home, target);
      return;
    }
    if (Date.now() - lastSpoolCheck >= SPOOL_CHECK_MS) {
      lastSpoolCheck = Date.now();
      if (listSpool(spoolDir(home)).length > 0) await deliverSpool(home, 5000);
    }
    await sleep(POLL_MS);
  }
}

async function deliverSpool(home: string, budgetMs: number) {
  const config = loadClientConfig(home);
  return drainSpool(spoolDir(home), rejectedDir(home), (record, deadline) => sendRecord(config, record, deadline, 3000), Date.now() + budgetMs);
}

/** The end event, spooled first so that it survives an ingest outage, then delivered with retries. */
async function reportExit(home: string, target: WatchTarget): Promise<void> {
  const time = Date.now();
  const id = `process-exit:${target.pid}`;
  const body = JSON.stringify({
    session_id: target.sessionId,
    source: target.source,
    kind: "end",
    end_reason: "process_exit",
    end_detail: `agent process ${target.pid} (${target.name}) exited`,
    time,
    id,
  });
  const record: SpoolRecord = { v: 1, path: "/v1/events", time, key: id, body };
  let spooled: string | null = null;
  try {
    spooled = writeSpoolRecord(spoolDir(home), record);
  } catch {
    // full disk or no permission: deliver it directly below
  }
  removeWatcherRecord(home, target.sessionId);
  const config = loadClientConfig(home);
  const giveUpAt = Date.now() + DELIVERY_PATIENCE_MS;
  let pause = 1000;
  for (;;) {
    if (spooled) {
      await deliverSpool(home, 5000);
      if (!existsSync(join(spoolDir(home), spooled))) return;
    } else if ((await sendRecord(config, record, Date.now() + 3000, 3000)).kind !== "failed") {
      return;
    }
    if (Date.now() > giveUpAt) return; // it stays spooled: the next hook run delivers it
    await sleep(pause);
    pause = Math.min(pause * 2, 30_000);
  }
}
