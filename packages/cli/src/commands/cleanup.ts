import type { CleanupJson } from "@pulse/core/api";
import { apiClient } from "../cli/api";
import { flag, parseDurationMinutes, stringOption } from "../cli/args";
import { type Command, JSON_OPTION } from "../cli/command";
import { confirm } from "../cli/confirm";
import { CliError, EXIT } from "../cli/errors";
import { formatDuration, formatLocalTime } from "../cli/format";
import { print, printJson, renderTable } from "../cli/output";

/**
 * POST /v1/sessions/cleanup: the server decides (and, unless dry_run, ends) the sessions; with `ids`,
 * only those (the ones the user was shown and confirmed), if still silent that long.
 */
export function cleanupCall(
  ctx: Parameters<Command["run"]>[1],
  olderThanMinutes: number,
  dryRun: boolean,
  ids?: string[],
): Promise<CleanupJson> {
  return apiClient(ctx.config).cleanup({
    older_than_minutes: olderThanMinutes,
    dry_run: dryRun,
    ...(ids ? { ids } : {}),
  });
}

export const cleanupCommand: Command = {
  name: "cleanup",
  summary: "End open sessions whose last event is older than a threshold (end_reason closed)",
  usage: "cleanup [--older-than 1h] [--dry-run] [--force] [--json]",
  options: {
    "older-than": {
      type: "string",
      valueName: "DURATION",
      description: "silence before an open session is cleaned up, e.g. 30m, 1h, 2d (default 1h)",
    },
    "dry-run": { type: "boolean", description: "list what would be ended and change nothing" },
    force: { type: "boolean", description: "do not ask for confirmation (needed when not on a terminal)" },
    ...JSON_OPTION,
  },
  details: `Each session is ended at its last event (ended_at = last_event_at), so durations stay true.
Lists the sessions first and asks on a terminal; without a terminal it needs --force.
Exit codes: 0 done (or nothing to do), 1 declined, 2 bad usage.`,
  async run(args, ctx) {
    const minutes = parseDurationMinutes(stringOption(args, "older-than") ?? "1h", "--older-than");
    const json = flag(args, "json");
    const dryRun = flag(args, "dry-run");
    const force = flag(args, "force");
    if (!dryRun && !force && !ctx.interactive) {
      throw new CliError(
        "cleanup: not on a terminal, so there is nobody to confirm: add --force (or --dry-run to only list)",
        EXIT.USAGE,
      );
    }
    // With --force nothing is shown before acting, so one call ends them and lists exactly those.
    const preview = force && !dryRun ? null : await cleanupCall(ctx, minutes, true);
    if (preview && (dryRun || preview.count === 0)) {
      if (json) printJson(preview);
      else report(preview, ctx, dryRun ? "would be ended (dry run: nothing changed)" : "");
      return EXIT.OK;
    }
    if (preview) {
      report(preview, ctx, "would be ended");
      if (!(await confirm(`End these ${preview.count} session(s)?`))) {
        print("Nothing changed.");
        return EXIT.FAILURE;
      }
    }
    // Exactly the listed sessions are ended (those that had no new event meanwhile).
    const result = await cleanupCall(
      ctx,
      minutes,
      false,
      preview?.sessions.map((s) => s.id),
    );
    if (json) {
      printJson(result);
      return EXIT.OK;
    }
    report(result, ctx, "ended");
    if (preview) {
      // Time passed while the question was on screen: a listed session may have come back to life.
      const ended = new Set(result.sessions.map((s) => s.id));
      const skipped = preview.sessions.filter((s) => !ended.has(s.id)).map((s) => s.id);
      if (skipped.length)
        print(ctx.paint("yellow", `Not ended (they had new events meanwhile): ${skipped.join(", ")}`));
    }
    return EXIT.OK;
  },
};

function report(result: CleanupJson, ctx: Parameters<Command["run"]>[1], verb: string): void {
  const threshold = `${result.older_than_minutes} min`;
  if (result.count === 0) {
    print(`No open session has been silent for more than ${threshold}; nothing to clean up.`);
    return;
  }
  const rows = result.sessions.map((s) => [
    s.id,
    s.source,
    s.project ?? "-",
    formatLocalTime(s.last_event_at),
    s.last_event_at ? formatDuration(Date.now() - Date.parse(s.last_event_at)) : "-",
    s.title ?? "",
  ]);
  process.stdout.write(
    renderTable(
      [
        { header: "ID" },
        { header: "AGENT" },
        { header: "PROJECT" },
        { header: "LAST EVENT" },
        { header: "SILENT FOR" },
        { header: "TITLE", shrink: true },
      ],
      rows,
      { maxWidth: ctx.columns, paint: ctx.paint },
    ),
  );
  print(`${result.count} session(s) silent for more than ${threshold} ${verb}.`);
}
