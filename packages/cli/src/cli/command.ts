import type { ClientConfig } from "../env/client-config";
import type { OptionSpecs, ParsedArgs } from "./args";
import type { Painter } from "./output";

/** What every command gets: where Pulse lives, how to reach ingest, how to print. */
export interface CommandContext {
  home: string;
  config: ClientConfig;
  cwd: string;
  paint: Painter;
  /** stdout is a terminal: tables may be fitted to its width, questions may be asked. */
  interactive: boolean;
  columns: number | undefined;
}

export interface Command {
  /** Words that select it, e.g. "hooks install". */
  name: string;
  summary: string;
  /** Usage lines after "pulse ", e.g. "hooks install [--scope user|project] [--dry-run]". */
  usage: string;
  /** Longer help, printed after the options. */
  details?: string;
  options: OptionSpecs;
  /** Positional arguments it takes: [min, max]. */
  positionals?: [number, number];
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

export const JSON_OPTION = {
  json: { type: "boolean", description: "print JSON for scripts instead of a table" },
} as const;
