import { describeBadUrl, loadClientConfig } from "../env/client-config";
import { pulseHome, rejectedDir, spoolDir } from "../env/paths";
import { uniqueId } from "../env/unique-id";
import { drainSpool } from "../spool/drain";
import { releaseDrainLock } from "../spool/drain-lock";
import { breakerFor, inCooldown, tripBreaker, tripIfUnresponsive } from "../spool/ingest-breaker";
import { sendRecord } from "../spool/send-record";
import { type SpoolRecord, writeSpoolRecord } from "../spool/spool-files";
import { HOOK_AGENTS, SESSION_END_EVENT } from "./hook-facts";
import { logHookProblem } from "./hook-log";
import { claimRun } from "./run-claim";

/**
 * The agent waits for its hooks: this process is gone a second after it started, unless the event is
 * not in the spool yet by then (a machine so loaded that node's own start took that long): it leaves
 * right after spooling it instead, never losing it, and never past ABSOLUTE_TIMEOUT_MS (every agent
 * gives Pulse's hook 5 s).
 */
const HARD_TIMEOUT_MS = 1000;
const ABSOLUTE_TIMEOUT_MS = 4000;
/** Network work stops here, leaving time to exit cleanly before the hard timeout. */
const NETWORK_BUDGET_MS = 900;
/**
 * The longest a hook waits for one answer. Ingest answers a hook in a few ms (it only queues the
 * event); no answer by then means it hangs or is far too slow for the agent to wait on. The event is
 * already spooled, so the hook leaves it to the session's watcher (or a background delivery): a hung
 * ingest costs a hook this much, and nothing once a longer try (watcher, background) trips the
 * breaker. Being slow never trips the breaker by itself. `PULSE_HOOK_ANSWER_MS` raises it for an
 * ingest further away than that (each hook's event then still goes out directly).
 */
const ANSWER_BUDGET_MS = 50;
const MAX_ANSWER_BUDGET_MS = NETWORK_BUDGET_MS;

function answerBudgetMs(): number {
  const ms = Number(process.env.PULSE_HOOK_ANSWER_MS);
  return process.env.PULSE_HOOK_ANSWER_MS && Number.isFinite(ms) && ms > 0
    ? Math.min(ms, MAX_ANSWER_BUDGET_MS)
    : ANSWER_BUDGET_MS;
}

/**
 * Diagnostics go to $PULSE_HOME/hook.log, never to stdout (agents read it as instructions) nor to
 * stderr (Gemini CLI shows it under every hook; `pulse doctor` reports the log instead).
 */
function warn(message: string): void {
  logHookProblem(pulseHome(), message);
}

/**
 * Reads fd 0 to its end with fs.read, not process.stdin: the stream machinery costs ~2 ms to load.
 * The reads run on libuv's thread pool, so a stdin that never closes cannot stop the hard timeout.
 */
function readStdin(): Promise<string> {
  const { fstatSync, read } = require("node:fs") as typeof import("node:fs");
  // A person running `pulse hook` in a terminal gets no wait. (node:tty is only loaded for character
  // devices: it pulls in net and streams.)
  try {
    if (fstatSync(0).isCharacterDevice() && (require("node:tty") as typeof import("node:tty")).isatty(0))
      return Promise.resolve("");
  } catch {
    return Promise.resolve(""); // no stdin at all
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const next = () => {
      const buffer = Buffer.allocUnsafe(65536);
      read(0, buffer, 0, buffer.length, null, (error, bytes) => {
        if (error && error.code === "EAGAIN") return void setTimeout(next, 5); // a non-blocking pipe
        if (error || bytes === 0) return resolve(Buffer.concat(chunks).toString("utf8"));
        chunks.push(buffer.subarray(0, bytes));
        next();
      });
    };
    next();
  });
}

interface HookArgs {
  agent: string;
  /** Codex's notify program gets the payload as its last argument instead of on stdin. */
  inlinePayload: string | null;
}

function parseHookArgs(argv: string[]): HookArgs | string {
  let agent = "claude-code";
  let inlinePayload: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--agent") agent = argv[++i] ?? "";
    else if (arg.startsWith("--agent=")) agent = arg.slice("--agent=".length);
    else if (arg.startsWith("-")) return `hook: unknown option ${arg}`;
    else inlinePayload = arg;
  }
  if (!HOOK_AGENTS[agent]) return `hook: unknown agent "${agent}"; use ${Object.keys(HOOK_AGENTS).join(", ")}`;
  return { agent, inlinePayload };
}

/** Set once the event is spooled (or cannot be): from then on the hard timeout may end the process. */
const progress = { spooled: false, outOfTime: false };

/**
 * `pulse hook`: what an agent's hook runs. Stamps the event, spools it, delivers the spool oldest
 * first, and exits 0 whatever happens, within a second.
 */
export function runHook(argv: string[]): void {
  // When this process started (performance.timeOrigin would load perf_hooks, ~1 ms).
  const origin = Date.now() - process.uptime() * 1000;
  const left = (ms: number) => Math.max(1, origin + ms - 20 - Date.now());
  setTimeout(() => (progress.spooled ? process.exit(0) : (progress.outOfTime = true)), left(HARD_TIMEOUT_MS)).unref();
  setTimeout(() => process.exit(0), left(ABSOLUTE_TIMEOUT_MS)).unref();
  process.on("uncaughtException", (error) => {
    warn(`internal error in hook: ${error.message}`);
    process.exit(0);
  });
  hook(argv, Math.round(origin), origin + NETWORK_BUDGET_MS).then(
    () => process.exit(0),
    (error: Error) => {
      warn(`internal error in hook: ${error.message}`);
      process.exit(0);
    },
  );
}

async function hook(argv: string[], startedAt: number, deadline: number): Promise<void> {
  const args = parseHookArgs(argv);
  if (typeof args === "string") return warn(args);
  const agent = HOOK_AGENTS[args.agent];
  const raw = args.inlinePayload ?? (await readStdin());
  if (!raw.trim()) return warn("hook: no hook input (it reads the agent's hook JSON on stdin)");
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch (error) {
    return warn(`hook: the hook input is not JSON (${(error as Error).message})`);
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return warn("hook: the hook input is not a JSON object");
  const fields = payload as Record<string, unknown>;
  // Not a session of the user's (Codex's title generator): nothing to record, nothing to watch.
  if (agent.ignore?.(fields)) return;
  const home = pulseHome();
  const spool = spoolDir(home);
  // Killed by the hard timeout mid-delivery: leave no lock behind (the next run would only wait for
  // it to be seen as stale).
  process.on("exit", () => releaseDrainLock(spool));
  const record: SpoolRecord = {
    v: 1,
    path: agent.path,
    time: agent.ownTime(fields) ?? startedAt,
    key: agent.naturalKey?.(fields) ?? `${args.agent}-${uniqueId()}`,
    body: raw,
  };
  // Spooled before anything is sent: a crash or a timeout mid-request cannot lose it, and its
  // idempotency key makes a resend after a lost answer harmless.
  let spoolError: string | null = null;
  try {
    writeSpoolRecord(spool, record);
  } catch (error) {
    spoolError = (error as Error).message;
  }
  progress.spooled = true;
  const sessionId = agent.sessionId(fields);
  // Under `pulse run`: tell it this agent reports its own session, so it makes no second one.
  if (sessionId && process.env.PULSE_SESSION_ID) claimRun(home, process.env.PULSE_SESSION_ID, sessionId, args.agent);
  // The watcher is started even past the second (a spawn, a few ms): without it a session that goes
  // quiet right after a slow SessionStart has no proof of life and would be judged stale (seen under
  // load), and it is also what delivers this event now.
  const watched = Boolean(sessionId) && !process.env.PULSE_NO_WATCH;
  if (watched && sessionId) trackAgentProcess(home, args.agent, sessionId, agent.eventName(fields), fields);
  // Past the second already (see HARD_TIMEOUT_MS): the event is safe in the spool, the watcher (or
  // the next hook) delivers it.
  if (progress.outOfTime && !spoolError) return;
  const config = loadClientConfig(home);
  const badUrl = describeBadUrl(config.url);
  if (badUrl)
    return warn(
      spoolError
        ? `${badUrl}; the event is lost (cannot spool: ${spoolError})`
        : `${badUrl}; the event stays spooled in ${spool}`,
    );
  // Ingest did not answer a moment ago: spool only, at once; the watchers deliver. Once the cooldown
  // is over, this hook re-arms it (a longer one) and tries again in the background, not on the agent's
  // time: the first delivery that succeeds ends the pause. Unless the event could not be spooled:
  // then trying now is its only chance.
  const breaker = spoolError ? null : breakerFor(spool, config.url);
  if (breaker) {
    if (!inCooldown(breaker)) {
      tripBreaker(spool, config.url, breaker.reason);
      deliverInBackground(warn);
    }
    return;
  }
  const send = (r: SpoolRecord, until: number, maxMs = answerBudgetMs()) => sendRecord(config, r, until, maxMs);
  const result = await drainSpool(spool, rejectedDir(home), send, deadline);
  for (const reason of result.rejected) warn(`${reason}; kept in ${rejectedDir(home)}`);
  const tripped = tripIfUnresponsive(spool, config.url, result);
  const pause = tripped ? `; hooks only spool until ${new Date(tripped.until).toISOString()}` : "";
  // No answer in time: the spool is the watcher's job, or a background delivery's when this session
  // has no watcher (PULSE_NO_WATCH, no session id) — the agent does not wait for it.
  if (!spoolError && result.timedOut && !result.unresponsive && result.remaining > 0) {
    if (!watched) deliverInBackground(warn);
    return warn(
      `ingest did not answer in time; ${result.remaining} event(s) kept in ${spool} for ${watched ? "the watcher" : "a background delivery"} to send`,
    );
  }
  if (spoolError) {
    // Not spooled: this try is the event's only chance, so it gets the whole network budget.
    const outcome = result.failure
      ? { kind: "failed" as const, reason: result.failure }
      : await send(record, deadline, deadline - Date.now());
    if (outcome.kind === "sent") warn(`cannot write the spool (${spoolError}); the event was sent directly`);
    else warn(`cannot write the spool (${spoolError}) and ${outcome.reason}: this event is lost${pause}`);
    return;
  }
  if (result.failure) warn(`${result.failure}; ${result.remaining} event(s) kept in ${spool} until it answers${pause}`);
}

/** `pulse spool flush` detached from the agent: its own session, no terminal, no stdio, `/` as its directory. */
function deliverInBackground(onError: (message: string) => void): void {
  try {
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    const child = spawn(process.execPath, [process.argv[1], "spool", "flush", "--timeout", "1m"], {
      detached: true,
      stdio: "ignore",
      cwd: "/",
    });
    child.on("error", (error) => onError(`could not start a background delivery: ${error.message}`));
    child.unref();
  } catch (error) {
    onError(`could not start a background delivery: ${(error as Error).message}`);
  }
}

/** Starts the session's process watcher, or stops it when the session ends with the process alive (/clear). */
function trackAgentProcess(
  home: string,
  source: string,
  sessionId: string,
  eventName: string | null,
  fields: Record<string, unknown>,
): void {
  try {
    const registry = require("../watch/registry") as typeof import("../watch/registry");
    if (eventName === SESSION_END_EVENT) return registry.removeWatcherRecord(home, sessionId);
    const running = registry.readWatcher(home, sessionId);
    if (running && registry.isWatcherAlive(running.watcher_pid)) return;
    // cwd tells a shared server's clients apart (Codex); transcript_path is where Claude Code's
    // hook-less turn ends (Esc, a declined permission) leave their trace.
    const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
    (require("../watch/start-watcher") as typeof import("../watch/start-watcher")).ensureWatcher(
      home,
      source,
      sessionId,
      process.argv[1],
      { cwd: text(fields.cwd), transcriptPath: text(fields.transcript_path) },
    );
  } catch (error) {
    warn(`could not watch the agent process: ${(error as Error).message}`);
  }
}
