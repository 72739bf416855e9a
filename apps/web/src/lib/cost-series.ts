import type { CostByProject } from "./api-types";

export interface CostSeries {
  /** Oldest first, one per day of the window, days without cost included. */
  dates: string[];
  /** Projects by total cost, largest first; the tail is folded into "other projects". */
  projects: string[];
  /** cost[dateIndex][projectIndex] in USD. */
  cost: number[][];
  totals: number[];
  max: number;
}

export const OTHER_PROJECTS = "other projects";
const NO_PROJECT = "no project";

/** YYYY-MM-DD of a local calendar day, `back` days before `today`. */
function isoDay(today: Date, back: number): string {
  const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * Shapes `/v1/stats/cost-by-project` for a stacked bar chart: every day of the window (the API may
 * leave out days without cost), at most `maxProjects` named projects, the rest summed as one.
 */
export function costSeries(data: CostByProject, days: number, today: Date, maxProjects = 6): CostSeries {
  const dates = Array.from({ length: days }, (_, i) => isoDay(today, days - 1 - i));
  const byProject = new Map<string, number>();
  for (const row of data.days) {
    const name = row.project ?? NO_PROJECT;
    byProject.set(name, (byProject.get(name) ?? 0) + row.cost_usd);
  }
  const ranked = [...byProject].filter(([, total]) => total > 0).sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const named = ranked.length > maxProjects ? ranked.slice(0, maxProjects - 1) : ranked;
  const projects = ranked.length > named.length ? [...named, OTHER_PROJECTS] : named;
  const column = new Map(named.map((name, i) => [name, i]));
  const cost = dates.map(() => projects.map(() => 0));
  const row = new Map(dates.map((d, i) => [d, i]));
  for (const entry of data.days) {
    const di = row.get(entry.date);
    if (di === undefined) continue;
    const pi = column.get(entry.project ?? NO_PROJECT) ?? projects.length - 1;
    if (pi >= 0) cost[di][pi] += entry.cost_usd;
  }
  const totals = cost.map((day) => day.reduce((a, b) => a + b, 0));
  return { dates, projects, cost, totals, max: Math.max(0, ...totals) };
}
