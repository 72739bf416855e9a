import { ESTIMATE_NOTE } from "@pulse/core/display";
import { parseStatusList } from "@pulse/core/api-client";
import { apiClient, type SessionJson } from "../cli/api";
import { flag, stringOption } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { EXIT, UsageError } from "../cli/errors";
import { formatAgo, formatCost, formatDuration, formatLocalClock, formatLocalTime } from "../cli/format";
import { type Column, print, printJson, renderTable } from "../cli/output";

/**
 * --status accepts what the API's `status` does (a comma list of active, waiting, ended, and "open"
 * for active + waiting): checked here with the API's own reader, so a typo is a usage error before
 * any request, and sent as written.
 */
export function parseStatusFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseStatusList(value);
  if (!parsed.ok) throw new UsageError(`--status: ${parsed.message} (comma-separated)`);
  if (parsed.statuses.length === 0) throw new UsageError("--status needs at least one status");
  return value;
}

/** "waiting (permission)", "ended (process_exit)", coloured by status. */
export function statusLabel(session: SessionJson, ctx: Pick<CommandContext, "paint">): string {
  if (session.status === "active") return ctx.paint("green", "active");
  if (session.status === "waiting")
    return ctx.paint("yellow", session.waiting_reason ? `waiting (${session.waiting_reason})` : "waiting");
  return ctx.paint("dim", session.end_reason ? `ended (${session.end_reason})` : "ended");
}

const SESSION_COLUMNS: Column[] = [
  { header: "ID" },
  { header: "STATUS" },
  { header: "AGENT" },
  { header: "PROJECT" },
  { header: "STARTED" },
  { header: "LAST EVENT" },
  { header: "DURATION", align: "right" },
  { header: "TITLE", shrink: true },
];

function sessionRow(s: SessionJson, ctx: CommandContext, now = Date.now()): string[] {
  return [
    s.id,
    statusLabel(s, ctx),
    s.source,
    s.project ?? "-",
    formatLocalTime(s.started_at),
    formatAgo(s.last_event_at, now),
    formatDuration(s.duration_ms),
    (s.parent_session_id ? "↳ " : "") + (s.title ?? ""),
  ];
}

export function sessionsTable(sessions: SessionJson[], ctx: CommandContext): string {
  const now = Date.now();
  const rows = sessions.map((s) => sessionRow(s, ctx, now));
  return renderTable(SESSION_COLUMNS, rows, { maxWidth: ctx.columns, paint: ctx.paint });
}

function sessionId(id: string): string {
  if (!id.trim()) throw new UsageError("the session id is empty");
  return id;
}

export const listCommand: Command = {
  name: "sessions",
  summary: "List sessions, newest activity first (show ID, close ID: see below)",
  usage:
    "sessions [--status active,waiting,ended|open] [--project NAME] [--agent NAME] [--search TEXT] [--limit N] [--all] [--follow] [--json]",
  options: {
    status: {
      type: "string",
      valueName: "LIST",
      description: "only these statuses (comma-separated; open = active,waiting)",
    },
    project: { type: "string", valueName: "NAME", description: "only this project" },
    agent: { type: "string", valueName: "NAME", description: "only this agent (claude-code, codex, …)" },
    search: {
      type: "string",
      valueName: "TEXT",
      description: "only sessions whose title, project or cwd contain TEXT",
    },
    limit: { type: "string", valueName: "N", description: "at most N sessions (default 20, max 500)" },
    all: { type: "boolean", description: "every matching session (follows pages)" },
    follow: {
      type: "boolean",
      description: "print each change as it happens (GET /v1/stream), until interrupted; --json: a JSON line each",
    },
    ...JSON_OPTION,
  },
  details: "Also: `pulse sessions show ID` (details and recent events), `pulse sessions close ID` (end it now).",
  async run(args, ctx) {
    const statuses = parseStatusFilter(stringOption(args, "status"));
    if (flag(args, "follow")) {
      const other = ["search", "limit", "all"].find((name) => args.options[name] !== undefined);
      if (other) throw new UsageError(`--${other} cannot be used with --follow (it filters by status, project, agent)`);
      const { followSessions } = require("./follow") as typeof import("./follow");
      return followSessions(
        { status: statuses, project: stringOption(args, "project"), source: stringOption(args, "agent") },
        ctx,
        { json: flag(args, "json"), columns: SESSION_COLUMNS, row: (s) => sessionRow(s, ctx) },
      );
    }
    const limitText = stringOption(args, "limit") ?? "20";
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500)
      throw new UsageError(`--limit must be a whole number from 1 to 500 (got "${limitText}")`);
    const query = {
      status: statuses,
      project: stringOption(args, "project"),
      source: stringOption(args, "agent"),
      q: stringOption(args, "search"),
      limit: flag(args, "all") ? 500 : limit,
    };
    const api = apiClient(ctx.config);
    const sessions: SessionJson[] = [];
    for (let cursor: string | undefined; ;) {
      const page = await api.listSessions({ ...query, cursor });
      sessions.push(...page.items);
      if (!flag(args, "all") || !page.next_cursor) break;
      cursor = page.next_cursor;
    }
    if (flag(args, "json")) {
      printJson(sessions);
      return EXIT.OK;
    }
    if (sessions.length === 0) {
      print("No sessions match.");
      return EXIT.OK;
    }
    process.stdout.write(sessionsTable(sessions, ctx));
    return EXIT.OK;
  },
};

export const showCommand: Command = {
  name: "sessions show",
  summary: "Show one session: status, times, tokens, the session /clear replaced, recent events",
  usage: "sessions show ID [--events N] [--json]",
  options: {
    events: { type: "string", valueName: "N", description: "how many recent events to list (default 15)" },
    ...JSON_OPTION,
  },
  positionals: [1, 1],
  async run(args, ctx) {
    const session = await apiClient(ctx.config).getSession(sessionId(args.positionals[0]));
    if (flag(args, "json")) {
      printJson(session);
      return EXIT.OK;
    }
    const eventsText = stringOption(args, "events") ?? "15";
    if (!/^\d+$/.test(eventsText)) throw new UsageError(`--events must be a whole number (got "${eventsText}")`);
    const fields: Array<[string, string | null | undefined]> = [
      ["Session", session.id],
      ["Status", statusLabel(session, ctx) + (session.end_detail ? ` — ${session.end_detail}` : "")],
      ["Title", session.title],
      ["Agent", session.source],
      ["Project", session.project],
      ["Directory", session.cwd],
      ["Host", session.host],
      ["Started", formatLocalTime(session.started_at)],
      ["Last event", `${formatLocalTime(session.last_event_at)} (${formatAgo(session.last_event_at)})`],
      ["Ended", session.ended_at ? formatLocalTime(session.ended_at) : null],
      ["Duration", formatDuration(session.duration_ms)],
      ["Events", `${session.event_count}${session.reopen_count ? ` (reopened ${session.reopen_count}×)` : ""}`],
      ["After /clear of", session.parent_session_id],
      ["Model", session.model],
      [
        "Tokens",
        session.input_tokens || session.output_tokens
          ? `${session.input_tokens ?? 0} in, ${session.output_tokens ?? 0} out`
          : null,
      ],
      ["Tool calls", session.tool_calls ? String(session.tool_calls) : null],
      ["Cost", session.cost_usd ? formatCost(session.cost_usd) : null],
      // Codex and Gemini CLI report tokens but no cost: Pulse's estimate, on a line of its own.
      [
        "Estimated cost",
        session.estimated_cost_usd
          ? `≈ ${formatCost(session.estimated_cost_usd)} est. ${ctx.paint("dim", `(${ESTIMATE_NOTE})`)}`
          : null,
      ],
    ];
    const shown = fields.filter(([, value]) => value !== null && value !== undefined && value !== "");
    const width = Math.max(...shown.map(([label]) => label.length));
    for (const [label, value] of shown) print(`${ctx.paint("bold", label.padEnd(width))}  ${value}`);
    const events = session.events.slice(0, Number(eventsText));
    if (events.length) {
      print();
      const rows = events.map((e) => [
        formatLocalClock(e.time),
        e.kind,
        e.name ?? "",
        e.tool ?? "",
        (e.detail ?? "").replace(/\s+/g, " "),
      ]);
      process.stdout.write(
        renderTable(
          [
            { header: "TIME" },
            { header: "KIND" },
            { header: "EVENT" },
            { header: "TOOL" },
            { header: "DETAIL", shrink: true },
          ],
          rows,
          { maxWidth: ctx.columns, paint: ctx.paint },
        ),
      );
      if (session.events.length > events.length)
        print(ctx.paint("dim", `(${session.events.length - events.length} older events not shown; --events N)`));
    }
    return EXIT.OK;
  },
};

export const closeCommand: Command = {
  name: "sessions close",
  summary: "End a session now (end_reason closed, at its last event)",
  usage: "sessions close ID [--json]",
  options: { ...JSON_OPTION },
  positionals: [1, 1],
  details: "A session that has ended already is left as it is (exit code 0).",
  async run(args, ctx) {
    const id = sessionId(args.positionals[0]);
    const api = apiClient(ctx.config);
    const before = await api.getSession(id);
    const after = await api.closeSession(id);
    if (flag(args, "json")) {
      printJson(after);
      return EXIT.OK;
    }
    if (before.status === "ended")
      print(
        `Session ${id} had already ended (${after.end_reason ?? "ended"} at ${formatLocalTime(after.ended_at)}); nothing changed.`,
      );
    else
      print(
        `${ctx.paint("green", "✓")} Closed session ${id} (ended at its last event, ${formatLocalTime(after.ended_at)}).`,
      );
    return EXIT.OK;
  },
};
