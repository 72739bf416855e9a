import type { CostByProjectJson } from "@pulse/core";

export interface CostSeries {
  /** Oldest first, one per day of the window, days without cost included. */
  dates: string[];
  /** Projects by total cost (reported and estimated), largest first; the tail is folded into "other projects". */
  projects: string[];
  /** cost[dateIndex][projectIndex] in USD: the cost the agents reported. */
  cost: number[][];
  /** estimated[dateIndex][projectIndex] in USD: Pulse's estimate for usage without a reported cost, kept apart. */
  estimated: number[][];
  /** Reported cost per day. */
  totals: number[];
  /** Estimated cost per day (never included in `totals`). */
  estimatedTotals: number[];
  /** The tallest bar: reported and estimated stacked. */
  max: number;
}

export const OTHER_PROJECTS = "other projects";
const NO_PROJECT = "no project";

/** YYYY-MM-DD of a local calendar day, `back` days before `today`. */
function isoDay(today: Date, back: number): string {
  const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Shapes `/v1/stats/cost-by-project` for a stacked bar chart: every day of the window (the API may
 * leave out days without cost), at most `maxProjects` named projects, the rest summed as one. The
 * estimate is a series of its own (an older ingest sends none: 0), drawn apart from the reported cost.
 */
export function costSeries(data: CostByProjectJson, days: number, today: Date, maxProjects = 6): CostSeries {
  const dates = Array.from({ length: days }, (_, i) => isoDay(today, days - 1 - i));
  const estimateOf = (row: CostByProjectJson["days"][number]) => row.estimated_cost_usd ?? 0;
  const byProject = new Map<string, number>();
  for (const row of data.days) {
    const name = row.project ?? NO_PROJECT;
    byProject.set(name, (byProject.get(name) ?? 0) + row.cost_usd + estimateOf(row));
  }
  const ranked = [...byProject]
    .filter(([, total]) => total > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
  const named = ranked.length > maxProjects ? ranked.slice(0, maxProjects - 1) : ranked;
  const projects = ranked.length > named.length ? [...named, OTHER_PROJECTS] : named;
  const column = new Map(named.map((name, i) => [name, i]));
  const cost = dates.map(() => projects.map(() => 0));
  const estimated = dates.map(() => projects.map(() => 0));
  const row = new Map(dates.map((d, i) => [d, i]));
  for (const entry of data.days) {
    const di = row.get(entry.date);
    if (di === undefined) continue;
    const pi = column.get(entry.project ?? NO_PROJECT) ?? projects.length - 1;
    if (pi < 0) continue;
    cost[di][pi] += entry.cost_usd;
    estimated[di][pi] += estimateOf(entry);
  }
  const totals = cost.map(sum);
  const estimatedTotals = estimated.map(sum);
  return {
    dates,
    projects,
    cost,
    estimated,
    totals,
    estimatedTotals,
    max: Math.max(0, ...totals.map((t, i) => t + estimatedTotals[i])),
  };
}
