import type { ChannelJson } from "@pulse/core/api";
import { apiClient } from "../cli/api";
import { flag, stringOption } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { EXIT, UsageError } from "../cli/errors";
import { formatAgo } from "../cli/format";
import { print, printJson, renderTable } from "../cli/output";

const NO_CHANNELS =
  "No notification channels. Add one on the dashboard's Settings page or with POST /v1/notifications/channels (docs/notifications.md).";

/** "ok", "failing", "untested", coloured; "(off)" for a channel that is disabled. */
function channelStatusLabel(channel: ChannelJson, ctx: Pick<CommandContext, "paint">): string {
  const label =
    channel.status === "ok"
      ? ctx.paint("green", "ok")
      : channel.status === "failing"
        ? ctx.paint("red", `failing${channel.failing_since ? ` since ${formatAgo(channel.failing_since)}` : ""}`)
        : ctx.paint("dim", "untested");
  return channel.enabled ? label : `${label} ${ctx.paint("dim", "(off)")}`;
}

export const testCommand: Command = {
  name: "notify test",
  summary: "Send a test notification to every enabled channel (or one) and say how each went",
  usage: "notify test [--channel NAME] [--json]",
  options: {
    channel: { type: "string", valueName: "NAME", description: "only this channel (its name or id), even if disabled" },
    ...JSON_OPTION,
  },
  details: `Each channel gets a delivery of type "test", sent by the reaper's delivery worker like any
notification. Prints one line per channel: delivered, failed (with the error) or pending (no answer
within 8 s: is the reaper running?). Exit code 0 only when every channel delivered; 1 when one failed
or is still pending, or when there is no channel to test; 5 when --channel names none.`,
  async run(args, ctx) {
    const channel = stringOption(args, "channel");
    if (channel !== undefined && !channel.trim()) throw new UsageError("--channel needs a channel name or id");
    const { results } = await apiClient(ctx.config).testNotifications(channel === undefined ? {} : { channel });
    if (flag(args, "json")) {
      printJson(results);
      return results.length > 0 && results.every((r) => r.status === "delivered") ? EXIT.OK : EXIT.FAILURE;
    }
    if (results.length === 0) {
      print(NO_CHANNELS.replace("No notification channels.", "No enabled notification channel to test."));
      return EXIT.FAILURE;
    }
    for (const result of results) {
      if (result.status === "delivered") print(`${ctx.paint("green", "✓")} ${result.name}: delivered`);
      else if (result.status === "failed")
        print(`${ctx.paint("red", "✗")} ${result.name}: failed: ${result.error ?? "no reason given"}`);
      else print(`${ctx.paint("yellow", "…")} ${result.name}: pending: ${result.error ?? "no answer yet"}`);
    }
    return results.every((r) => r.status === "delivered") ? EXIT.OK : EXIT.FAILURE;
  },
};

export const channelsCommand: Command = {
  name: "notify channels",
  summary: "List the notification channels: type, masked URL, status and last error",
  usage: "notify channels [--json]",
  options: { ...JSON_OPTION },
  details:
    "URLs are shown masked (scheme, host, the last 4 characters): the API never answers them in full. A channel is failing when its newest delivery failed.",
  async run(args, ctx) {
    const { channels } = await apiClient(ctx.config).listChannels();
    if (flag(args, "json")) {
      printJson(channels);
      return EXIT.OK;
    }
    if (channels.length === 0) {
      print(NO_CHANNELS);
      return EXIT.OK;
    }
    const rows = channels.map((c) => [
      c.name,
      c.type,
      c.url,
      channelStatusLabel(c, ctx),
      (c.status === "failing" ? c.last_error : null) ?? "",
    ]);
    process.stdout.write(
      renderTable(
        [
          { header: "NAME" },
          { header: "TYPE" },
          { header: "URL" },
          { header: "STATUS" },
          { header: "LAST ERROR", shrink: true },
        ],
        rows,
        { maxWidth: ctx.columns, paint: ctx.paint },
      ),
    );
    return EXIT.OK;
  },
};
