import { ESTIMATE_NOTE } from "@pulse/core/display";
import { apiClient } from "../cli/api";
import { flag, parseDurationMinutes, stringOption } from "../cli/args";
import { type Command, JSON_OPTION } from "../cli/command";
import { EXIT, UsageError } from "../cli/errors";
import { formatCost, formatDuration } from "../cli/format";
import { print, printJson, renderTable } from "../cli/output";
import { cleanupCall } from "./cleanup";

/** Pulse's estimate, marked as one: "≈ $0.12 est." */
const estimate = (usd: number) => `≈ ${formatCost(usd)} est.`;

/** The machine's IANA time zone, so "per day" means the user's days. */
function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export const statsCommand: Command = {
  name: "stats",
  summary: "Counts by status, cleanup candidates, sessions and average duration per day",
  usage: "stats [--days 7] [--older-than 1h] [--json]",
  options: {
    days: { type: "string", valueName: "N", description: "days of history (default 7, max 90)" },
    "older-than": {
      type: "string",
      valueName: "DURATION",
      description: "silence after which an open session is a cleanup candidate (default 1h)",
    },
    ...JSON_OPTION,
  },
  details:
    "Cleanup candidates are open sessions silent for longer than --older-than: what `pulse cleanup` would close.",
  async run(args, ctx) {
    const daysText = stringOption(args, "days") ?? "7";
    const days = Number(daysText);
    if (!/^\d+$/.test(daysText) || days < 1 || days > 90)
      throw new UsageError(`--days must be a whole number from 1 to 90 (got "${daysText}")`);
    const candidateMinutes = parseDurationMinutes(stringOption(args, "older-than") ?? "1h", "--older-than");
    const tz = localTimeZone();
    const api = apiClient(ctx.config);
    const [totals, daily, candidates] = await Promise.all([
      api.stats(),
      api.daily({ days, tz }),
      cleanupCall(ctx, candidateMinutes, true),
    ]);
    if (flag(args, "json")) {
      printJson({
        active: totals.active,
        waiting: totals.waiting,
        ended: totals.ended,
        total: totals.total,
        cleanup_candidates: {
          older_than_minutes: candidateMinutes,
          count: candidates.count,
          session_ids: candidates.sessions.map((s) => s.id),
        },
        tz: daily.tz,
        days: daily.days,
      });
      return EXIT.OK;
    }
    print(
      `${ctx.paint("green", `${totals.active} active`)}  ${ctx.paint("yellow", `${totals.waiting} waiting`)}  ${totals.ended} ended  (${totals.total} in all)`,
    );
    const candidateLine = `${candidates.count} cleanup candidate(s): open but silent for more than ${formatDuration(candidateMinutes * 60_000)}`;
    print(candidates.count ? ctx.paint("yellow", candidateLine) + " — `pulse cleanup` closes them" : candidateLine);
    if (totals.cost_usd_24h !== undefined)
      print(
        `Cost, last 24 h: ${formatCost(totals.cost_usd_24h)} reported${totals.estimated_cost_usd_24h ? `, ${estimate(totals.estimated_cost_usd_24h)}` : ""}`,
      );
    print();
    // The estimate has a column of its own: never summed into the cost the agents reported.
    const rows = daily.days.map((d) => [
      d.date,
      String(d.sessions),
      String(d.ended),
      formatDuration(d.avg_duration_ms),
      d.cost_usd === undefined ? "-" : formatCost(d.cost_usd),
      d.estimated_cost_usd ? estimate(d.estimated_cost_usd) : "-",
    ]);
    process.stdout.write(
      renderTable(
        [
          { header: "DAY" },
          { header: "SESSIONS", align: "right" },
          { header: "ENDED", align: "right" },
          { header: "AVG DURATION", align: "right" },
          { header: "COST", align: "right" },
          { header: "EST. COST", align: "right" },
        ],
        rows,
        { paint: ctx.paint },
      ),
    );
    print(
      ctx.paint(
        "dim",
        `Days in ${daily.tz}; sessions counted on the day they started. COST is what the agents reported; est. = ${ESTIMATE_NOTE}.`,
      ),
    );
    return EXIT.OK;
  },
};
