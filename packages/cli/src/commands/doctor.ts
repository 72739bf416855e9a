import type { ChannelJson, ChannelListJson, QueuesJson } from "@pulse/core/api";
import { flag } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { EXIT } from "../cli/errors";
import { formatAgo } from "../cli/format";
import { print, printJson } from "../cli/output";
import { codexHookTrust } from "../agents/codex-trust";
import { codexHome } from "../agents/codex";
import { type ClientConfig, describeBadUrl, loadClientConfig } from "../env/client-config";
import { configFile, spoolDir } from "../env/paths";
import { HOOK_AGENTS } from "../hook/hook-facts";
import { hookLogFile, readHookProblems } from "../hook/hook-log";
import { openBreaker } from "../spool/ingest-breaker";
import { summarizeSpool } from "../spool/spool-summary";
import { apiErrorMessage, httpRequest, TransportError } from "../transport/http-request";
import { listWatchers } from "../watch/registry";
import { collectHookStatus } from "./hooks";

type Level = "ok" | "warn" | "fail";

interface Check {
  name: string;
  level: Level;
  message: string;
  /** What to do about it, when not ok. */
  fix?: string;
}

async function probe(
  config: ClientConfig,
  path: string,
): Promise<{ status: number; body: string } | { error: string }> {
  try {
    return await httpRequest(config, { method: "GET", path, timeoutMs: 3000 });
  } catch (error) {
    return { error: error instanceof TransportError ? error.code : (error as Error).message };
  }
}

async function connectionChecks(ctx: CommandContext): Promise<Check[]> {
  const { url } = ctx.config;
  const badUrl = describeBadUrl(url);
  if (badUrl)
    return [
      {
        name: "ingest",
        level: "fail",
        message: badUrl,
        fix: "set PULSE_URL to the ingest's address, e.g. http://127.0.0.1:6820",
      },
    ];
  const origin =
    ctx.config.origin.url === "default"
      ? "default"
      : ctx.config.origin.url === "env"
        ? "from PULSE_URL"
        : "from $PULSE_HOME/config.json";
  const health = await probe(ctx.config, "/healthz");
  if ("error" in health || health.status !== 200) {
    const why = "error" in health ? health.error : `HTTP ${health.status}`;
    return [
      {
        name: "ingest",
        level: "fail",
        message: `ingest not reachable at ${url} (${origin}): ${why}`,
        fix: "start Pulse (`npm start` in the Pulse checkout) or set PULSE_URL; hooks keep events in the spool meanwhile",
      },
    ];
  }
  const checks: Check[] = [{ name: "ingest", level: "ok", message: `ingest reachable at ${url} (${origin})` }];
  const ready = await probe(ctx.config, "/readyz");
  if ("error" in ready || ready.status !== 200) {
    const why = "error" in ready ? ready.error : apiErrorMessage(ready.body);
    checks.push({
      name: "ready",
      level: "fail",
      message: `ingest is not ready: ${why}`,
      fix: "check that Redis and PostgreSQL run (events are spooled or queued meanwhile)",
    });
  } else {
    checks.push({ name: "ready", level: "ok", message: "Redis and PostgreSQL answer" });
  }
  const stats = await probe(ctx.config, "/v1/stats");
  if ("error" in stats) checks.push({ name: "token", level: "fail", message: `API call failed: ${stats.error}` });
  else if (stats.status === 401) {
    checks.push({
      name: "token",
      level: "fail",
      message: ctx.config.token ? "the token is refused" : "the server requires a token and none is set",
      fix: "set PULSE_TOKEN to the server's token and run `pulse hooks install` again to save it for the hooks",
    });
  } else if (stats.status !== 200)
    checks.push({
      name: "token",
      level: "fail",
      message: `GET /v1/stats answered ${stats.status}: ${apiErrorMessage(stats.body)}`,
    });
  else {
    checks.push({ name: "token", level: "ok", message: ctx.config.token ? "token accepted" : "no token needed" });
    checks.push(await deadLetterCheck(ctx.config));
    checks.push(await notificationChannelsCheck(ctx.config));
  }
  return checks;
}

/** Jobs that failed for good (GET /v1/queues): their events were accepted and are not applied. */
async function deadLetterCheck(config: ClientConfig): Promise<Check> {
  const reply = await probe(config, "/v1/queues");
  if ("error" in reply || reply.status !== 200)
    return {
      name: "dead letters",
      level: "warn",
      message: `could not read GET /v1/queues: ${"error" in reply ? reply.error : `HTTP ${reply.status}`}`,
    };
  // Partial: an older ingest may answer less.
  let body: Partial<QueuesJson>;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return { name: "dead letters", level: "warn", message: "GET /v1/queues did not answer JSON" };
  }
  const failed = body.failed_total ?? 0;
  if (failed === 0) return { name: "dead letters", level: "ok", message: "no failed jobs" };
  const first = body.queues?.flatMap((q) =>
    (q.failed ?? []).map((f) => `${q.name}: ${f.failed_reason ?? "no reason"}`),
  )[0];
  return {
    name: "dead letters",
    level: "warn",
    message: `${failed} job(s) failed for good${first ? `, e.g. ${first}` : ""}`,
    fix: "see the failed tab of the queue board (/queues); Retry all there once the cause is fixed (applying again is idempotent)",
  };
}

/** Channels whose newest delivery failed (GET /v1/notifications/channels): notifications that do not reach the user. */
async function notificationChannelsCheck(config: ClientConfig): Promise<Check> {
  const name = "notifications";
  const reply = await probe(config, "/v1/notifications/channels");
  if ("error" in reply || reply.status !== 200)
    return {
      name,
      level: "warn",
      message: `could not read GET /v1/notifications/channels: ${"error" in reply ? reply.error : `HTTP ${reply.status}`}`,
    };
  let channels: Partial<ChannelJson>[];
  try {
    channels = (JSON.parse(reply.body) as Partial<ChannelListJson>).channels ?? [];
  } catch {
    return { name, level: "warn", message: "GET /v1/notifications/channels did not answer JSON" };
  }
  // A disabled channel is sent nothing: its old failure is not news.
  const failing = channels.filter((c) => c.status === "failing" && c.enabled !== false);
  if (failing.length === 0)
    return {
      name,
      level: "ok",
      message: channels.length
        ? `${channels.length} notification channel(s), none failing`
        : "no notification channels",
    };
  const each = failing.map(
    (c) =>
      `${c.name}${c.failing_since ? ` (since ${formatAgo(c.failing_since)})` : ""}: ${c.last_error ?? "no error recorded"}`,
  );
  return {
    name,
    level: "warn",
    message: `${failing.length} notification channel(s) failing: ${each.join("; ")}`,
    fix: "fix the channel's URL or token (or remove it), then `pulse notify test --channel NAME`; `pulse notify channels` lists them",
  };
}

/**
 * The very route each installed agent's hook posts to, with the token: an empty object must come back
 * 400 (the route is there and the token passed; nothing is stored), not 404 (a server without that
 * agent's route) or 401.
 */
async function hookRouteChecks(config: ClientConfig, agents: string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const agent of agents) {
    const path = HOOK_AGENTS[agent]?.path;
    if (!path) continue;
    let outcome: { status: number; body: string } | { error: string };
    try {
      outcome = await httpRequest(config, { method: "POST", path, body: "{}", timeoutMs: 3000 });
    } catch (error) {
      outcome = { error: error instanceof TransportError ? error.code : (error as Error).message };
    }
    if ("error" in outcome)
      checks.push({ name: "hook route", level: "fail", message: `POST ${path} failed: ${outcome.error}` });
    else if (outcome.status === 400 || (outcome.status >= 200 && outcome.status < 300))
      checks.push({ name: "hook route", level: "ok", message: `${config.url}${path} takes ${agent} hooks` });
    else
      checks.push({
        name: "hook route",
        level: "fail",
        message: `POST ${config.url}${path} answered ${outcome.status}: ${apiErrorMessage(outcome.body)}`,
        fix:
          outcome.status === 401
            ? "set PULSE_TOKEN and run `pulse hooks install` again to save it"
            : "is this the Pulse ingest, and is it up to date?",
      });
  }
  return checks;
}

/** The environment without Pulse's own variables: what a hook gets from an agent started elsewhere. */
function withoutPulseVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PULSE_URL: _url, PULSE_TOKEN: _token, PULSE_CA_FILE: _ca, ...rest } = env;
  return rest;
}

/**
 * Hooks post where their own environment says, else where config.json says. When this shell's
 * PULSE_URL / PULSE_TOKEN are not the saved ones, agents started from elsewhere (an IDE, another
 * terminal) post to another server than the one checked above: check that one too.
 */
async function savedTargetChecks(ctx: CommandContext): Promise<Check[]> {
  const saved = loadClientConfig(ctx.home, withoutPulseVariables(process.env));
  const where = saved.origin.url === "config" ? `saved in ${configFile(ctx.home)}` : "the default; nothing is saved";
  const fix = "run `pulse hooks install` with PULSE_URL (and PULSE_TOKEN) set to save them for the hooks";
  const checks: Check[] = [];
  if (ctx.config.origin.url === "env" && saved.url !== ctx.config.url) {
    const health = describeBadUrl(saved.url) ? { error: "not a URL" } : await probe(saved, "/healthz");
    const answers = !("error" in health) && health.status === 200;
    checks.push({
      name: "hook target",
      level: answers ? "warn" : "fail",
      message: `PULSE_URL here is ${ctx.config.url}, but hooks of agents started without it post to ${saved.url} (${where}), which ${answers ? "is another server" : `does not answer (${"error" in health ? health.error : `HTTP ${health.status}`})`}`,
      fix,
    });
  }
  if (ctx.config.origin.token === "env" && saved.token !== ctx.config.token) {
    checks.push({
      name: "hook target",
      level: "warn",
      message: `PULSE_TOKEN here is not the token ${saved.token ? "saved" : "(none) saved"} for the hooks in ${configFile(ctx.home)}`,
      fix,
    });
  }
  return checks;
}

/** Codex runs only hooks the user trusted (see codex-trust.ts): installed is not enough. */
async function codexTrustChecks(ctx: CommandContext, statuses: ReturnType<typeof collectHookStatus>): Promise<Check[]> {
  if (!statuses.some((s) => s.agent === "codex" && s.what === "hooks" && s.installed.length > 0)) return [];
  const report = await codexHookTrust(codexHome(process.env), ctx.cwd);
  const fix =
    "start `codex` and trust them when it asks (or in /hooks); `codex exec` never asks, so trust them once in the TUI. Any change of the hook command needs trusting again";
  if (report.hooks.length === 0) {
    return [
      {
        name: "codex trust",
        level: "warn",
        message: `Codex (${report.via}) lists none of Pulse's hooks here: hooks switched off, or another CODEX_HOME`,
        fix: "check `[features] hooks` in config.toml and CODEX_HOME",
      },
    ];
  }
  // Codex lists only the events it knows; a Pulse hook it does not list never runs (seen: StopFailure on 0.171).
  const known = new Set(report.hooks.map((h) => h.event.toLowerCase().replace(/_/g, "")));
  const installed = new Set(
    statuses.filter((s) => s.agent === "codex" && s.what === "hooks").flatMap((s) => s.installed),
  );
  const unknownEvents =
    report.via === "codex app-server" ? [...installed].filter((e) => !known.has(e.toLowerCase())) : [];
  const untrusted = report.hooks.filter((h) => h.status === "untrusted");
  const modified = report.hooks.filter((h) => h.status === "modified");
  const unknown = report.hooks.filter((h) => !["trusted", "untrusted", "modified", "recorded"].includes(h.status));
  const events = (list: typeof report.hooks) => list.map((h) => h.event).join(", ");
  const checks: Check[] = [];
  if (untrusted.length || modified.length) {
    const parts = [
      untrusted.length ? `not trusted yet: ${events(untrusted)}` : "",
      modified.length ? `changed since trusted: ${events(modified)}` : "",
    ].filter(Boolean);
    const source = report.via === "config.toml" ? `; read from config.toml: ${report.note}` : "";
    checks.push({
      name: "codex trust",
      level: "fail",
      message: `Codex does not run ${untrusted.length + modified.length} of Pulse's ${report.hooks.length} hooks (${parts.join("; ")})${source}`,
      fix,
    });
  }
  if (unknown.length)
    checks.push({
      name: "codex trust",
      level: "warn",
      message: `Codex reports an unknown trust state for ${events(unknown)}`,
    });
  // Not the user's to fix (an event a newer Codex has, or the adapter lists ahead): said, not warned.
  if (unknownEvents.length)
    checks.push({
      name: "codex trust",
      level: "ok",
      message: `this Codex does not know the hook event(s) ${unknownEvents.join(", ")} and never runs them (nothing to do)`,
    });
  const recorded = report.hooks.filter((h) => h.status === "recorded");
  if (recorded.length)
    checks.push({
      name: "codex trust",
      level: "warn",
      message: `config.toml trusts ${recorded.length} of Pulse's hooks, but only Codex can tell whether that trust still matches them (${report.note})`,
    });
  if (!untrusted.length && !modified.length && !recorded.length && !unknown.length)
    checks.unshift({ name: "codex trust", level: "ok", message: `Codex trusts Pulse's ${report.hooks.length} hooks` });
  return checks;
}

function hookChecks(ctx: CommandContext, statuses: ReturnType<typeof collectHookStatus>): Check[] {
  const complete = statuses.filter((s) => s.complete);
  const checks: Check[] = [];
  const claude = complete.filter((s) => s.agent === "claude-code");
  if (claude.length)
    checks.push({
      name: "hooks",
      level: "ok",
      message: `Claude Code hooks installed (${claude.map((s) => `${s.scope}: ${s.path}`).join("; ")})`,
    });
  if (complete.length === 0)
    checks.push({
      name: "hooks",
      level: "fail",
      message: "no agent has Pulse's hooks installed",
      fix: "run `pulse hooks install` (Claude Code; --agent codex|gemini for the others)",
    });
  for (const s of complete.filter((s) => s.agent !== "claude-code"))
    checks.push({ name: "hooks", level: "ok", message: `${s.agent} ${s.what} installed (${s.scope}: ${s.path})` });
  for (const s of statuses)
    for (const problem of s.problems)
      checks.push({ name: "hooks", level: "warn", message: `${s.agent} ${s.scope} ${s.what} (${s.path}): ${problem}` });
  return checks;
}

/** Younger spooled events may just be on their way (a hook or watcher delivering right now). */
const STUCK_SPOOL_MS = 30_000;
const LOG_WINDOW_MS = 60 * 60_000;

function localChecks(ctx: CommandContext, ingestAnswers: boolean): Check[] {
  const checks: Check[] = [];
  const spool = summarizeSpool(ctx.home);
  const stuck = ingestAnswers && spool.oldest !== null && Date.now() - Date.parse(spool.oldest) > STUCK_SPOOL_MS;
  if (spool.count === 0) checks.push({ name: "spool", level: "ok", message: "spool empty" });
  else if (stuck)
    checks.push({
      name: "spool",
      level: "fail",
      message: `${spool.count} event(s) not delivered in ${spool.dir}, the oldest from ${formatAgo(spool.oldest)}, though ingest answers`,
      fix: "`pulse spool flush` delivers them now",
    });
  else
    checks.push({
      name: "spool",
      level: "warn",
      message: `${spool.count} event(s) waiting in ${spool.dir}, the oldest from ${formatAgo(spool.oldest)}`,
      fix: "once ingest answers, `pulse spool flush` delivers them (watchers and the next hook do too)",
    });
  const breaker = openBreaker(spoolDir(ctx.home), ctx.config.url);
  if (breaker)
    checks.push({
      name: "spool",
      level: "warn",
      message: `hooks only spool until ${new Date(breaker.until).toLocaleTimeString()}: ingest did not answer them (${breaker.reason}), first ${formatAgo(new Date(breaker.since).toISOString())}`,
      fix: "watchers keep delivering; the first hook after that tries again",
    });
  const problems = readHookProblems(ctx.home, Date.now() - LOG_WINDOW_MS);
  if (problems.length) {
    const last = problems[problems.length - 1];
    checks.push({
      name: "hook log",
      level: "warn",
      message: `${problems.length} hook problem(s) in the last hour; the last, ${formatAgo(new Date(last.time).toISOString())}: ${last.message}`,
      fix: `see ${hookLogFile(ctx.home)}`,
    });
  }
  if (spool.rejected)
    checks.push({
      name: "spool",
      level: "warn",
      message: `${spool.rejected} event(s) refused by the API as invalid`,
      fix: `look at ${spool.dir.replace(/spool$/, "rejected")}`,
    });
  const watchers = listWatchers(ctx.home);
  const alive = watchers.filter((w) => w.alive);
  const dead = watchers.length - alive.length;
  checks.push({
    name: "watchers",
    level: "ok",
    message: `${alive.length} process watcher(s) running${alive.length ? `: ${alive.map((w) => `${w.record.source} pid ${w.record.agent_pid}`).join(", ")}` : ""}`,
  });
  if (dead)
    checks.push({
      name: "watchers",
      level: "warn",
      message: `${dead} watcher record(s) whose watcher is gone (killed, or the machine rebooted)`,
      fix: "the next hook event of those sessions restarts them; sessions already over are ended by the server's timeout",
    });
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 11))
    checks.push({
      name: "node",
      level: "fail",
      message: `node ${process.versions.node} is too old`,
      fix: "install Node 20.11 or newer",
    });
  return checks;
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Check the setup: ingest reachable, token accepted, hooks installed, spool empty, watchers, notifications",
  usage: "doctor [--json]",
  options: { ...JSON_OPTION },
  details: `Checks the server the hooks post to (this shell's PULSE_URL and, when it differs, the one saved
for hooks started elsewhere), the token, the installed hooks and, for Codex, whether Codex trusts them
(asked through \`codex app-server\` when codex is on PATH), undelivered events in the spool, whether
hooks stopped trying an unresponsive ingest, notification channels that are failing (a warning, with
each one's last error), and problems in $PULSE_HOME/hook.log (the hook writes
nothing an agent would show). Exit code 0 when nothing failed (warnings allowed), 1 when a check failed.`,
  async run(args, ctx) {
    const connection = await connectionChecks(ctx);
    const ingestAnswers = connection.some((c) => c.name === "ingest" && c.level === "ok");
    const statuses = collectHookStatus(ctx.cwd);
    const hooked = [...new Set(statuses.filter((s) => s.installed.length > 0).map((s) => s.agent))];
    const routes = ingestAnswers ? await hookRouteChecks(ctx.config, hooked) : [];
    const checks = [
      ...connection,
      ...routes,
      ...(await savedTargetChecks(ctx)),
      ...hookChecks(ctx, statuses),
      ...(await codexTrustChecks(ctx, statuses)),
      ...localChecks(ctx, ingestAnswers),
    ];
    const failed = checks.some((c) => c.level === "fail");
    const warnings = checks.filter((c) => c.level === "warn").length;
    if (flag(args, "json")) {
      printJson({ ok: !failed, checks });
      return failed ? EXIT.FAILURE : EXIT.OK;
    }
    const mark = { ok: ctx.paint("green", "✓"), warn: ctx.paint("yellow", "!"), fail: ctx.paint("red", "✗") };
    for (const check of checks) {
      print(`${mark[check.level]} ${check.message}`);
      if (check.fix && check.level !== "ok") print(`  ${ctx.paint("dim", "→")} ${check.fix}`);
    }
    // "All checks passed" only when nothing needs a look: undelivered events or a second server are
    // not a pass even though they do not fail the exit code.
    print(
      failed
        ? ctx.paint("red", "Some checks failed.")
        : warnings
          ? ctx.paint("yellow", `No check failed; ${warnings} warning(s) above.`)
          : "All checks passed.",
    );
    return failed ? EXIT.FAILURE : EXIT.OK;
  },
};
