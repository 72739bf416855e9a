/** Terminal output: colour only on a TTY (and never with NO_COLOR), aligned tables, one-line errors. */

const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof STYLES;

export function colorEnabled(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "") return true;
  return isTTY && env.TERM !== "dumb";
}

export type Painter = (style: Style, text: string) => string;

export function painter(enabled: boolean): Painter {
  return (style, text) => (enabled ? `\u001b[${STYLES[style][0]}m${text}\u001b[${STYLES[style][1]}m` : text);
}

const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleLength = (text: string): number => [...text.replace(ANSI, "")].length;

export interface Column {
  header: string;
  align?: "left" | "right";
  /** This column gives up width when the table is wider than the terminal (the last such one). */
  shrink?: boolean;
}

function truncate(text: string, width: number): string {
  const chars = [...text.replace(ANSI, "")];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join("") : chars.slice(0, width - 1).join("") + "…";
}

/**
 * Aligned columns separated by two spaces. When `maxWidth` is given (a terminal), the shrinkable
 * column is truncated so lines do not wrap.
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  options: { maxWidth?: number; paint?: Painter } = {},
): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[i] ?? ""))),
  );
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
  const shrinkIndex = columns.findIndex((c) => c.shrink);
  let cells = rows;
  if (options.maxWidth && total > options.maxWidth && shrinkIndex >= 0) {
    const width = Math.max(8, widths[shrinkIndex] - (total - options.maxWidth));
    widths[shrinkIndex] = width;
    cells = rows.map((row) => row.map((cell, i) => (i === shrinkIndex ? truncate(cell, width) : cell)));
  }
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat(Math.max(0, widths[i] - visibleLength(cell)));
        return columns[i].align === "right" ? pad + cell : i === row.length - 1 ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  return [options.paint ? options.paint("bold", header) : header, ...cells.map(line)].join("\n") + "\n";
}

/** Writes one line to stdout. Commands print through this so tests and pipes see plain text. */
export function print(text = ""): void {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}
