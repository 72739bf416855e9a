import { flag } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { EXIT } from "../cli/errors";
import { formatAgo } from "../cli/format";
import { print, printJson } from "../cli/output";
import { describeBadUrl } from "../env/client-config";
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

async function probe(ctx: CommandContext, path: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    return await httpRequest(ctx.config, { method: "GET", path, timeoutMs: 3000 });
  } catch (error) {
    return { error: error instanceof TransportError ? error.code : (error as Error).message };
  }
}

async function connectionChecks(ctx: CommandContext): Promise<Check[]> {
  const { url } = ctx.config;
  const badUrl = describeBadUrl(url);
  if (badUrl) return [{ name: "ingest", level: "fail", message: badUrl, fix: "set PULSE_URL to the ingest's address, e.g. http://127.0.0.1:6820" }];
  const origin = ctx.config.origin.url === "default" ? "default" : ctx.config.origin.url === "env" ? "from PULSE_URL" : "from $PULSE_HOME/config.json";
  const health = await probe(ctx, "/healthz");
  if ("error" in health || health.status !== 200) {
    const why = "error" in health ? health.error : `HTTP ${health.status}`;
    return [{ name: "ingest", level: "fail", message: `ingest not reachable at ${url} (${origin}): ${why}`, fix: "start Pulse (`npm start` in the Pulse checkout) or set PULSE_URL; hooks keep events in the spool meanwhile" }];
  }
  const checks: Check[] = [{ name: "ingest", level: "ok", message: `ingest reachable at ${url} (${origin})` }];
  const ready = await probe(ctx, "/readyz");
  if ("error" in ready || ready.status !== 200) {
    const why = "error" in ready ? ready.error : apiErrorMessage(ready.body);
    checks.push({ name: "ready", level: "fail", message: `ingest is not ready: ${why}`, fix: "check that Redis and PostgreSQL run (events are spooled or queued meanwhile)" });
  } else {
    checks.push({ name: "ready", level: "ok", message: "Redis and PostgreSQL answer" });
  }
  const stats = await probe(ctx, "/v1/stats");
  if ("error" in stats) checks.push({ name: "token", level: "fail", message: `API call failed: ${stats.error}` });
  else if (stats.status === 401) {
    checks.push({
      name: "token",
      level: "fail",
      message: ctx.config.token ? "the token is refused" : "the server requires a token and none is set",
      fix: "set PULSE_TOKEN to the server's token and run `pulse hooks install` again to save it for the hooks",
    });
  } else if (stats.status !== 200) checks.push({ name: "token", level: "fail", message: `GET /v1/stats answered ${stats.status}: ${apiErrorMessage(stats.body)}` });
  else checks.push({ name: "token", level: "ok", message: ctx.config.token ? "token accepted" : "no token needed" });
  return checks;
}

function hookChecks(ctx: CommandContext): Check[] {
  const statuses = collectHookStatus(ctx.cwd);
  const complete = statuses.filter((s) => s.complete);
  const checks: Check[] = [];
  const claude = complete.filter((s) => s.agent === "claude-code");
  if (claude.length) checks.push({ name: "hooks", level: "ok", message: `Claude Code hooks installed (${claude.map((s) => `${s.scope}: ${s.path}`).join("; ")})` });
  if (complete.length === 0) checks.push({ name: "hooks", level: "fail", message: "no agent has Pulse's hooks installed", fix: "run `pulse hooks install` (Claude Code; --agent codex|gemini for the others)" });
  for (const s of complete.filter((s) => s.agent !== "claude-code")) checks.push({ name: "hooks", level: "ok", message: `${s.agent} ${s.what} installed (${s.scope}: ${s.path})` });
  for (const s of statuses) for (const problem of s.problems) checks.push({ name: "hooks", level: "warn", message: `${s.agent} ${s.scope} ${s.what} (${s.path}): ${problem}` });
  return checks;
}

function localChecks(ctx: CommandContext): Check[] {
  const checks: Check[] = [];
  const spool = summarizeSpool(ctx.home);
  if (spool.count === 0) checks.push({ name: "spool", level: "ok", message: "spool empty" });
  else checks.push({ name: "spool", level: "warn", message: `${spool.count} event(s) waiting in ${spool.dir}, the oldest from ${formatAgo(spool.oldest)}`, fix: "once ingest answers, `pulse spool flush` delivers them (the next hook does too)" });
  if (spool.rejected) checks.push({ name: "spool", level: "warn", message: `${spool.rejected} event(s) refused by the API as invalid`, fix: `look at ${spool.dir.replace(/spool$/, "rejected")}` });
  const watchers = listWatchers(ctx.home);
  const alive = watchers.filter((w) => w.alive);
  const dead = watchers.length - alive.length;
  checks.push({ name: "watchers", level: "ok", message: `${alive.length} process watcher(s) running${alive.length ? `: ${alive.map((w) => `${w.record.source} pid ${w.record.agent_pid}`).join(", ")}` : ""}` });
  if (dead) checks.push({ name: "watchers", level: "warn", message: `${dead} watcher record(s) whose watcher is gone (killed, or the machine rebooted)`, fix: "the next hook event of those sessions restarts them; sessions already over are ended by the server's timeout" });
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 11)) checks.push({ name: "node", level: "fail", message: `node ${process.versions.node} is too old`, fix: "install Node 20.11 or newer" });
  return checks;
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Check the setup: ingest reachable, token accepted, hooks installed, spool empty, watchers",
  usage: "doctor [--json]",
  options: { ...JSON_OPTION },
  details: "Exit code 0 when nothing failed (warnings allowed), 1 when a check failed.",
  async run(args, ctx) {
    const checks = [...(await connectionChecks(ctx)), ...hookChecks(ctx), ...localChecks(ctx)];
    const failed = checks.some((c) => c.level === "fail");
    if (flag(args, "json")) {
      printJson({ ok: !failed, checks });
      return failed ? EXIT.FAILURE : EXIT.OK;
    }
    const mark = { ok: ctx.paint("green", "✓"), warn: ctx.paint("yellow", "!"), fail: ctx.paint("red", "✗") };
    for (const check of checks) {
      print(`${mark[check.level]} ${check.message}`);
      if (check.fix && check.level !== "ok") print(`  ${ctx.paint("dim", "→")} ${check.fix}`);
    }
    print(failed ? ctx.paint("red", "Some checks failed.") : "All checks passed.");
    return failed ? EXIT.FAILURE : EXIT.OK;
  },
};
