import { queryString } from "@pulse/core/api-client";
import type { SessionJson } from "../cli/api";
import type { CommandContext } from "../cli/command";
import { CliError, EXIT } from "../cli/errors";
import { type Column, visibleLength } from "../cli/output";
import { apiErrorMessage, TransportError } from "../transport/http-request";
import { readEventStream, SseParser } from "../transport/event-stream";

/** Waits between reconnections: doubling from the first, up to the last. */
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000];
/** A stream silent for this long (two missed pings and more) is dead even if the socket says nothing. */
const SILENCE_MS = 40_000;

export interface FollowQuery {
  status?: string;
  project?: string;
  source?: string;
}

/**
 * Lines of a table printed one at a time: columns widen as wider cells come (a line printed earlier
 * is not redrawn), so a feed stays aligned once it has seen a few sessions.
 */
class RunningTable {
  private readonly widths: number[];

  constructor(
    private readonly columns: Column[],
    private readonly ctx: Pick<CommandContext, "paint">,
  ) {
    this.widths = columns.map((c) => visibleLength(c.header));
  }

  header(): string {
    return this.ctx.paint("bold", this.line(this.columns.map((c) => c.header)));
  }

  row(cells: string[]): string {
    cells.forEach((cell, i) => (this.widths[i] = Math.max(this.widths[i], visibleLength(cell))));
    return this.line(cells);
  }

  private line(cells: string[]): string {
    return cells
      .map((cell, i) => {
        const pad = " ".repeat(Math.max(0, this.widths[i] - visibleLength(cell)));
        return this.columns[i].align === "right" ? pad + cell : i === cells.length - 1 ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  }
}

/**
 * `pulse sessions --follow`: each change from `GET /v1/stream` as a line (or a JSON line), until
 * interrupted. A dropped stream is reconnected with the last event id, so nothing is missed or
 * printed twice; a `reset` (the server no longer holds that id) is said on stderr.
 */
export async function followSessions(
  query: FollowQuery,
  ctx: CommandContext,
  format: { json: boolean; columns: Column[]; row: (session: SessionJson) => string[] },
): Promise<number> {
  const table = new RunningTable(format.columns, ctx);
  if (!format.json) process.stdout.write(table.header() + "\n");
  const path = `/v1/stream${queryString({ ...query })}`;
  let failures = 0;
  let saidLost = false;
  const parser = new SseParser((event) => {
    if (event.event === "session") {
      const session = JSON.parse(event.data) as SessionJson;
      process.stdout.write((format.json ? JSON.stringify(session) : table.row(format.row(session))) + "\n");
    } else if (event.event === "reset")
      process.stderr.write("pulse: some changes were missed (the server no longer holds them); going on live\n");
  });
  for (;;) {
    let reason: string;
    let silence: ReturnType<typeof setInterval> | undefined;
    try {
      let heardAt = Date.now();
      parser.reset();
      const stream = readEventStream(ctx.config, path, {
        // The last id the server set, on an event or on its own (where a new stream starts).
        lastEventId: parser.lastId,
        parser,
        onOpen: () => {
          failures = 0;
          if (saidLost) process.stderr.write("pulse: stream back\n");
          saidLost = false;
        },
        onData: () => (heardAt = Date.now()),
      });
      silence = setInterval(() => Date.now() - heardAt > SILENCE_MS && stream.close(), 5_000);
      const end = await stream.done;
      if ("body" in end) {
        if (end.status === 401)
          throw new CliError(`ingest refused the stream: ${apiErrorMessage(end.body)}`, EXIT.AUTH);
        if (end.status >= 400 && end.status < 500)
          throw new CliError(`ingest refused the stream: ${apiErrorMessage(end.body)}`, EXIT.FAILURE);
        reason = `ingest answered ${end.status}`;
      } else reason = end.dropped;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      reason = `cannot reach ingest at ${ctx.config.url} (${error.code})`;
    } finally {
      clearInterval(silence);
    }
    if (!saidLost) process.stderr.write(`pulse: stream lost: ${reason}; reconnecting\n`);
    saidLost = true;
    await new Promise((r) => setTimeout(r, BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]));
  }
}
