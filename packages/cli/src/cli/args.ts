import { UsageError } from "./errors";

export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** Shown in help, e.g. "user|project". */
  valueName?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Everything after `--`, untouched (for `pulse run -- command …`); null when there was no `--`. */
  rest: string[] | null;
}

/**
 * A small strict parser: `--name value`, `--name=value`, `-x`, booleans, `--` then verbatim arguments.
 * Unknown options and missing values are usage errors that name the option.
 */
export function parseArgs(argv: string[], specs: OptionSpecs): ParsedArgs {
  const parsed: ParsedArgs = { options: {}, positionals: [], rest: null };
  const byShort = new Map(
    Object.entries(specs)
      .filter(([, s]) => s.short)
      .map(([name, s]) => [s.short as string, name]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      parsed.rest = argv.slice(i + 1);
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      if (!specs[name]) throw new UsageError(`unknown option --${name}`);
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = byShort.get(arg.slice(1));
      if (!name) throw new UsageError(`unknown option ${arg}`);
    } else if (arg.startsWith("-") && arg.length > 1 && !/^-\d/.test(arg)) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      parsed.positionals.push(arg);
      continue;
    }
    const spec = specs[name];
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      parsed.options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--")))
      throw new UsageError(`--${name} needs a value${spec.valueName ? ` (${spec.valueName})` : ""}`);
    if (spec.choices && !spec.choices.includes(value))
      throw new UsageError(`--${name} must be one of ${spec.choices.join(", ")} (got "${value}")`);
    parsed.options[name] = value;
  }
  return parsed;
}

const UNITS: Record<string, number> = { s: 1 / 60, m: 1, min: 1, h: 60, d: 1440, w: 10080 };

/** "90m", "1h", "2d", "1h30m" → minutes. A bare number is refused: say the unit. */
export function parseDurationMinutes(text: string, option: string): number {
  const trimmed = text.trim().toLowerCase();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(min|s|m|h|d|w)/g)];
  const consumed = parts.map((p) => p[0]).join("");
  if (parts.length === 0 || consumed.replace(/\s/g, "") !== trimmed.replace(/\s/g, "")) {
    throw new UsageError(`${option} must be a duration like 30m, 1h, 2d or 1h30m (got "${text}")`);
  }
  const minutes = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
  if (!(minutes > 0)) throw new UsageError(`${option} must be longer than 0 (got "${text}")`);
  return minutes;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
