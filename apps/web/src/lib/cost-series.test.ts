import { costSeries, OTHER_PROJECTS } from "./cost-series";

const today = new Date(2026, 10, 21, 15, 0);
const day = (date: string, project: string | null, cost_usd: number, estimated_cost_usd = 0) => ({
  date,
  project,
  cost_usd,
  estimated_cost_usd,
});

describe("costSeries", () => {
  it("fills every day of the window, oldest first", () => {
    const s = costSeries({ tz: "UTC", days: [day("2026-11-20", "api", 1.5)] }, 3, today);
    expect(s.dates).toEqual(["2026-11-19", "2026-11-20", "2026-11-21"]);
    expect(s.projects).toEqual(["api"]);
    expect(s.cost).toEqual([[0], [1.5], [0]]);
    expect(s.totals).toEqual([0, 1.5, 0]);
    expect(s.max).toBe(1.5);
  });

  it("names the costliest projects and folds the rest into one", () => {
    const days = ["a", "b", "c", "d"].map((project, i) => day("2026-11-21", project, 4 - i));
    const s = costSeries({ tz: "UTC", days: [...days, day("2026-11-21", null, 0.5)] }, 1, today, 3);
    expect(s.projects).toEqual(["a", "b", OTHER_PROJECTS]);
    expect(s.cost[0]).toEqual([4, 3, 2 + 1 + 0.5]);
  });

  it("keeps the estimate apart from the reported cost: its own series and totals, stacked only for the scale", () => {
    const s = costSeries(
      { tz: "UTC", days: [day("2026-11-21", "api", 1, 0.25), day("2026-11-21", "codex-only", 0, 2)] },
      2,
      today,
    );
    // A project with only estimated cost is on the chart, ranked by what it spent in all.
    expect(s.projects).toEqual(["codex-only", "api"]);
    expect(s.cost[1]).toEqual([0, 1]);
    expect(s.estimated[1]).toEqual([2, 0.25]);
    expect(s.totals).toEqual([0, 1]);
    expect(s.estimatedTotals).toEqual([0, 2.25]);
    expect(s.max).toBe(3.25);
  });

  it("reads an older ingest's answer (no estimate) as no estimate", () => {
    const s = costSeries({ tz: "UTC", days: [{ date: "2026-11-21", project: "api", cost_usd: 1 } as never] }, 1, today);
    expect(s.estimatedTotals).toEqual([0]);
    expect(s.max).toBe(1);
  });

  it("is empty when nothing cost anything", () => {
    const s = costSeries({ tz: "UTC", days: [day("2026-11-21", "x", 0)] }, 2, today);
    expect(s.projects).toEqual([]);
    expect(s.max).toBe(0);
  });
});
