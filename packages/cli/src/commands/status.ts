/**
 * `pulse status`: one line for a shell prompt or a tmux status bar ("2 working · 1 needs you"), or
 * `--json`. Shell prompts run it at every command and tmux every few seconds, so like `pulse hook`
 * it is dispatched before the CLI framework loads (pulse.ts), its options are read by hand here, and
 * it never waits on the network: it prints from a cache file ($PULSE_HOME/status.json) and, when
 * that is older than a few seconds, starts a detached `pulse status --refresh` that asks ingest and
 * rewrites the cache. Only node:fs, node:path and the config reader load on that path.
 */
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "../cli/command";
import { loadClientConfig } from "../env/client-config";
import { pulseHome } from "../env/paths";

/** A cache older than this is refreshed (in the background; this run still prints it). */
export const REFRESH_AFTER_MS = 5_000;
/** Without a successful refresh for this long after a failed one, the line says so instead of counts. */
export const OFFLINE_AFTER_MS = 30_000;
/** Counts older than this are marked stale (refreshes do not complete, e.g. one hangs). */
export const STALE_AFTER_MS = 60_000;
/** A refresh lock older than this belongs to a refresh that died: another may start. */
const LOCK_STALE_MS = 20_000;
/** The refresh's whole budget per request: a background child, but it must not linger. */
const REFRESH_TIMEOUT_MS = 5_000;
/** Pages of open sessions read per refresh (500 each). */
const MAX_PAGES = 20;

export interface StatusCounts {
  /** Active sessions (the dashboard's "working"). */
  working: number;
  /** Waiting on the user for a reason that needs them (permission, question, error, attention). */
  needs_you: number;
  /** Other waits (turn ended, idle, interrupted). */
  waiting: number;
}

/** What the cache holds. */
interface StatusCache {
  url: string;
  /** When the last refresh finished (epoch ms), successful or not. */
  checked_at: number;
  /** When the last successful refresh finished. */
  ok_at: number | null;
  /** Why the last refresh failed; null when it succeeded. */
  error: string | null;
  counts: StatusCounts | null;
}

const cacheFile = (home: string) => join(home, "status.json");
const lockFile = (home: string) => join(home, "status.refresh.lock");

function readCache(home: string, url: string): StatusCache | null {
  try {
    const cache = JSON.parse(readFileSync(cacheFile(home), "utf8")) as StatusCache;
    // Another ingest's figures say nothing about this one.
    return cache && cache.url === url && typeof cache.checked_at === "number" ? cache : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed: a reader sees the old cache or the new one, never half. */
function writeCache(home: string, cache: StatusCache): void {
  const { mkdirSync } = require("node:fs") as typeof import("node:fs");
  // $PULSE_HOME holds the token and the spool: only its owner may read it (as save-connection makes it).
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const tmp = `${cacheFile(home)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache) + "\n", { mode: 0o600 });
  renameSync(tmp, cacheFile(home));
}

export interface StatusView {
  state: "ok" | "stale" | "offline" | "unknown";
  counts: StatusCounts | null;
  updated_at: string | null;
  error: string | null;
}

/** What the cache says now: counts, or why there are none to trust. */
export function viewOf(cache: StatusCache | null, now: number): StatusView {
  if (!cache) return { state: "unknown", counts: null, updated_at: null, error: null };
  const updated_at = cache.ok_at === null ? null : new Date(cache.ok_at).toISOString();
  const okAge = cache.ok_at === null ? Infinity : now - cache.ok_at;
  if (cache.error !== null && (cache.counts === null || okAge > OFFLINE_AFTER_MS))
    return { state: "offline", counts: null, updated_at, error: cache.error };
  return { state: okAge > STALE_AFTER_MS ? "stale" : "ok", counts: cache.counts, updated_at, error: cache.error };
}

/** "2 working · 1 needs you · 3 waiting" (zero parts left out), "pulse: offline", … */
export function statusLine(view: StatusView): string {
  if (view.state === "unknown") return "pulse: …";
  if (view.state === "offline" || !view.counts)
    return view.error === "unreachable" || !view.error ? "pulse: offline" : `pulse: ${view.error}`;
  const { working, needs_you, waiting } = view.counts;
  const parts = [
    working ? `${working} working` : "",
    needs_you ? `${needs_you} needs you` : "",
    waiting ? `${waiting} waiting` : "",
  ].filter(Boolean);
  const line = parts.length ? parts.join(" · ") : "0 working";
  return view.state === "stale" ? `${line} (stale)` : line;
}

/** Starts `pulse status --refresh` detached, unless one is already running. */
function startRefresh(home: string): void {
  try {
    const { mkdirSync } = require("node:fs") as typeof import("node:fs");
    mkdirSync(home, { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(lockFile(home), "wx", 0o600));
    } catch {
      // Held: by a running refresh, or by one that died (then taken over).
      if (Date.now() - statSync(lockFile(home)).mtimeMs < LOCK_STALE_MS) return;
      writeFileSync(lockFile(home), "");
    }
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    const child = spawn(process.execPath, [process.argv[1], "status", "--refresh", "--from-status"], {
      detached: true,
      stdio: "ignore",
      env: process.env,
    });
    child.on("error", () => {});
    child.unref();
  } catch {
    // A read-only home or no fork: the line is printed anyway, from whatever the cache holds.
  }
}

/** Asks ingest for the open sessions (every page), counts them and writes the cache. */
async function refresh(home: string): Promise<StatusCache> {
  const config = loadClientConfig(home);
  const { httpRequest, TransportError } =
    require("../transport/http-request") as typeof import("../transport/http-request");
  const { needsYou } = require("@pulse/core") as typeof import("@pulse/core");
  const previous = readCache(home, config.url);
  const counts: StatusCounts = { working: 0, needs_you: 0, waiting: 0 };
  let error: string | null = null;
  try {
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const path: string = `/v1/sessions?status=open&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const response = await httpRequest(config, { method: "GET", path, timeoutMs: REFRESH_TIMEOUT_MS });
      if (response.status === 401) throw new Error("token refused");
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
      const body = JSON.parse(response.body) as {
        items: Array<{ status: string; waiting_reason: string | null }>;
        next_cursor: string | null;
      };
      for (const s of body.items) {
        if (s.status === "active") counts.working++;
        else if (s.status === "waiting") counts[needsYou(s.waiting_reason) ? "needs_you" : "waiting"]++;
      }
      cursor = body.next_cursor;
      if (!cursor) break;
    }
  } catch (err) {
    error = err instanceof TransportError ? "unreachable" : (err as Error).message;
  }
  const now = Date.now();
  const cache: StatusCache = error
    ? { url: config.url, checked_at: now, ok_at: previous?.ok_at ?? null, error, counts: previous?.counts ?? null }
    : { url: config.url, checked_at: now, ok_at: now, error: null, counts };
  writeCache(home, cache);
  return cache;
}

function print(view: StatusView, json: boolean): void {
  if (!json) return void process.stdout.write(statusLine(view) + "\n");
  const counts = view.counts;
  const open = counts ? counts.working + counts.needs_you + counts.waiting : null;
  process.stdout.write(JSON.stringify({ ...view, ...(counts ?? {}), open, line: statusLine(view) }) + "\n");
}

const USAGE = "usage: pulse status [--json] [--refresh]";

/** The whole command, from its arguments (after "status"). */
export function runStatus(argv: string[]): void {
  const unknown = argv.find((a) => a !== "--json" && a !== "--refresh" && a !== "--from-status");
  if (unknown !== undefined) {
    process.stderr.write(`pulse: status: unknown option ${unknown}; ${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const home = pulseHome();
  const json = argv.includes("--json");
  if (argv.includes("--refresh")) {
    const fromStatus = argv.includes("--from-status");
    void refresh(home)
      .then((cache) => !fromStatus && print(viewOf(cache, Date.now()), json))
      .finally(() => {
        if (fromStatus) rmLock(home);
      });
    return;
  }
  const { url } = loadClientConfig(home);
  const cache = readCache(home, url);
  const now = Date.now();
  print(viewOf(cache, now), json);
  if (!cache || now - cache.checked_at > REFRESH_AFTER_MS) startRefresh(home);
}

function rmLock(home: string): void {
  try {
    unlinkSync(lockFile(home));
  } catch {
    // gone already
  }
}

/** For `pulse --help` and `pulse status --help` (the command itself runs from pulse.ts). */
export const statusCommand: Command = {
  name: "status",
  summary: "One line for a prompt or status bar: 2 working · 1 needs you (from a cache, never waits)",
  usage: "status [--json] [--refresh]",
  options: {
    json: { type: "boolean", description: "print JSON for tools: counts, state (ok, stale, offline), updated_at" },
    refresh: { type: "boolean", description: "ask ingest now (waits for it), update the cache, then print" },
  },
  details:
    "Prints what $PULSE_HOME/status.json says and, when it is older than 5 s, refreshes it in the background " +
    "(GET /v1/sessions?status=open). `pulse: offline` when ingest has not answered for 30 s; `(stale)` after " +
    "a minute without fresh figures.",
  async run(args) {
    runStatus([...(args.options.json ? ["--json"] : []), ...(args.options.refresh ? ["--refresh"] : [])]);
    return 0;
  },
};
