import { describeBadUrl, loadClientConfig } from "../env/client-config";
import { pulseHome, rejectedDir, spoolDir } from "../env/paths";
import { uniqueId } from "../env/unique-id";
import { drainSpool } from "../spool/drain";
import { releaseDrainLock } from "../spool/drain-lock";
import { sendRecord } from "../spool/send-record";
import { type SpoolRecord, writeSpoolRecord } from "../spool/spool-files";
import { HOOK_AGENTS, SESSION_END_EVENT } from "./hook-agents";

/** The agent waits for its hooks: whatever happens, this process is gone after a second. */
const HARD_TIMEOUT_MS = 1000;
/** Network work stops here, leaving time to exit cleanly before the hard timeout. */
const NETWORK_BUDGET_MS = 900;

/** Diagnostics go to stderr, never stdout: agents may read a hook's stdout as instructions. */
function warn(message: string): void {
  process.stderr.write(`pulse: ${message}\n`);
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
    if (fstatSync(0).isCharacterDevice() && (require("node:tty") as typeof import("node:tty")).isatty(0)) return Promise.resolve("");
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

/**
 * `pulse hook`: what an agent's hook runs. Stamps the event, spools it, delivers the spool oldest
 * first, and exits 0 whatever happens, within a second.
 */
export function runHook(argv: string[]): void {
  // When this process started (performance.timeOrigin would load perf_hooks, ~1 ms).
  const origin = Date.now() - process.uptime() * 1000;
  setTimeout(() => process.exit(0), Math.max(1, origin + HARD_TIMEOUT_MS - 20 - Date.now())).unref();
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
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return warn("hook: the hook input is not a JSON object");
  const fields = payload as Record<string, unknown>;

  const home = pulseHome();
  const spool = spoolDir(home);
  // Killed by the hard timeout mid-delivery: leave no lock behind (the next run would only wait for
  // it to be seen as stale).
  process.on("exit", () => releaseDrainLock(spool));
  const record: SpoolRecord = { v: 1, path: agent.path, time: agent.ownTime(fields) ?? startedAt, key: agent.naturalKey?.(fields) ?? `${args.agent}-${uniqueId()}`, body: raw };
  // Spooled before anything is sent: a crash or a timeout mid-request cannot lose it, and its
  // idempotency key makes a resend after a lost answer harmless.
  let spoolError: string | null = null;
  try {
    writeSpoolRecord(spool, record);
  } catch (error) {
    spoolError = (error as Error).message;
  }

  const sessionId = agent.sessionId(fields);
  if (sessionId && !process.env.PULSE_NO_WATCH) trackAgentProcess(home, args.agent, sessionId, agent.eventName(fields), fields);

  const config = loadClientConfig(home);
  const badUrl = describeBadUrl(config.url);
  if (badUrl) return warn(spoolError ? `${badUrl}; the event is lost (cannot spool: ${spoolError})` : `${badUrl}; the event stays spooled in ${spool}`);

  const send = (r: SpoolRecord, until: number) => sendRecord(config, r, until);
  const result = await drainSpool(spool, rejectedDir(home), send, deadline);
  for (const reason of result.rejected) warn(`${reason}; kept in ${rejectedDir(home)}`);
  if (spoolError) {
    const outcome = result.failure ? { kind: "failed" as const, reason: result.failure } : await send(record, deadline);
    if (outcome.kind === "sent") warn(`cannot write the spool (${spoolError}); the event was sent directly`);
    else warn(`cannot write the spool (${spoolError}) and ${outcome.reason}: this event is lost`);
    return;
  }
  if (result.failure) warn(`${result.failure}; ${result.remaining} event(s) kept in ${spool} until it answers`);
}

/** Starts the session's process watcher, or stops it when the session ends with the process alive (/clear). */
function trackAgentProcess(home: string, source: string, sessionId: string, eventName: string | null, fields: Record<string, unknown>): void {
  try {
    const registry = require("../watch/registry") as typeof import("../watch/registry");
    if (eventName === SESSION_END_EVENT) return registry.removeWatcherRecord(home, sessionId);
    const running = registry.readWatcher(home, sessionId);
    if (running && registry.isWatcherAlive(running.watcher_pid)) return;
    // cwd tells a shared server's clients apart (Codex); transcript_path is where Claude Code's
    // hook-less turn ends (Esc, a declined permission) leave their trace.
    const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
    (require("../watch/start-watcher") as typeof import("../watch/start-watcher")).ensureWatcher(home, source, sessionId, process.argv[1], { cwd: text(fields.cwd), transcriptPath: text(fields.transcript_path) });
  } catch (error) {
    warn(`could not watch the agent process: ${(error as Error).message}`);
  }
}
