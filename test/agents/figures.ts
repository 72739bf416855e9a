import { appendFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Measured figures of the conformance suite (issue 9 wants them in the note): each trigger → state
 * latency is appended as one JSON line to test-results/conformance-figures.jsonl, and each test file
 * prints its own table at the end. Tests assert with generous deadlines; the figures say how fast.
 */
export const FIGURES_FILE = resolve(__dirname, "../../test-results/conformance-figures.jsonl");

export interface Figure {
  agent: string;
  case: string;
  /** What was measured, e.g. "dialog → waiting·permission". */
  metric: string;
  ms: number;
  /** The target for it, when it has one. */
  targetMs?: number;
  /** What Pulse showed, when it is not what the case wants (a failing case still records). */
  observed?: string;
}

export class FigureTable {
  private readonly rows: Figure[] = [];

  constructor(readonly file: string) {}

  record(figure: Figure): Figure {
    this.rows.push(figure);
    try {
      mkdirSync(join(FIGURES_FILE, ".."), { recursive: true });
      appendFileSync(FIGURES_FILE, JSON.stringify({ at: new Date().toISOString(), file: this.file, ...figure }) + "\n");
    } catch {
      // figures are a report, never a reason to fail a case
    }
    return figure;
  }

  /** The table as text (printed by afterAll). */
  render(): string {
    if (this.rows.length === 0) return `${this.file}: no figures`;
    const header = ["agent", "case", "metric", "ms", "target", "observed"];
    const lines = this.rows.map((r) => [
      r.agent,
      r.case,
      r.metric,
      String(Math.round(r.ms)),
      r.targetMs === undefined ? "" : `≤ ${r.targetMs}`,
      r.observed ?? "",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const row = (cells: string[]) =>
      cells
        .map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd();
    return [`Conformance figures (${this.file}):`, row(header), ...lines.map(row)].join("\n");
  }

  print(): void {
    console.log(this.render());
  }
}
