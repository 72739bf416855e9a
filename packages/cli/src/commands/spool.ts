import { flag, stringOption, parseDurationMinutes } from "../cli/args";
import { type Command, JSON_OPTION } from "../cli/command";
import { CliError, EXIT } from "../cli/errors";
import { formatAgo } from "../cli/format";
import { print, printJson } from "../cli/output";
import { rejectedDir, spoolDir } from "../env/paths";
import { drainSpool } from "../spool/drain";
import { tripIfUnresponsive } from "../spool/ingest-breaker";
import { sendRecord } from "../spool/send-record";
import { summarizeSpool } from "../spool/spool-summary";

export const spoolCommand: Command = {
  name: "spool",
  summary: "Show events waiting on disk for ingest; `pulse spool flush` delivers them now",
  usage: "spool [flush] [--timeout 1m] [--json]",
  options: {
    timeout: { type: "string", valueName: "DURATION", description: "flush: give up after this long (default 1m)" },
    ...JSON_OPTION,
  },
  positionals: [0, 1],
  details: `Events go to the spool ($PULSE_HOME/spool) when ingest is unreachable or failing; every hook
run delivers it first, oldest first, with the original times. Events the API refused as invalid are
kept in $PULSE_HOME/rejected. Exit code: 0 when the spool is empty (after flushing), 1 when not.`,
  async run(args, ctx) {
    const action = args.positionals[0];
    if (action !== undefined && action !== "flush")
      throw new CliError(`spool: unknown action "${action}"; use \`pulse spool\` or \`pulse spool flush\``, EXIT.USAGE);
    let delivered: number | null = null;
    let failure: string | null = null;
    if (action === "flush") {
      const budgetMs = parseDurationMinutes(stringOption(args, "timeout") ?? "1m", "--timeout") * 60_000;
      const result = await drainSpool(
        spoolDir(ctx.home),
        rejectedDir(ctx.home),
        (record, deadline) => sendRecord(ctx.config, record, deadline, 5000),
        Date.now() + budgetMs,
      );
      // A hook's background delivery that met a hung ingest: the next hooks only spool.
      tripIfUnresponsive(spoolDir(ctx.home), ctx.config.url, result);
      delivered = result.sent;
      failure = result.failure ?? (result.busy ? "another pulse process is delivering the spool right now" : null);
      for (const reason of result.rejected)
        process.stderr.write(`pulse: ${reason}; kept in ${rejectedDir(ctx.home)}\n`);
    }
    const summary = summarizeSpool(ctx.home);
    if (flag(args, "json")) {
      printJson({ ...summary, delivered, failure });
    } else {
      if (delivered !== null) print(`Delivered ${delivered} event(s).`);
      if (failure) print(ctx.paint("red", `Stopped: ${failure}`));
      print(
        summary.count === 0
          ? "The spool is empty."
          : `${summary.count} event(s) waiting in ${summary.dir}, the oldest from ${formatAgo(summary.oldest)}.`,
      );
      if (summary.rejected)
        print(
          ctx.paint(
            "yellow",
            `${summary.rejected} event(s) were refused by the API as invalid; see ${rejectedDir(ctx.home)}`,
          ),
        );
    }
    return summary.count === 0 ? EXIT.OK : EXIT.FAILURE;
  },
};
