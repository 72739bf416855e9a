import { costSeries, OTHER_PROJECTS } from "./cost-series";

const today = new Date(2026, 10, 21, 15, 0);

describe("costSeries", () => {
  it("fills every day of the window, oldest first", () => {
    const s = costSeries({ tz: "UTC", days: [{ date: "2026-11-20", project: "api", cost_usd: 1.5 }] }, 3, today);
    expect(s.dates).toEqual(["2026-11-19", "2026-11-20", "2026-11-21"]);
    expect(s.projects).toEqual(["api"]);
    expect(s.cost).toEqual([[0], [1.5], [0]]);
    expect(s.totals).toEqual([0, 1.5, 0]);
    expect(s.max).toBe(1.5);
  });

  it("names the costliest projects and folds the rest into one", () => {
    const days = ["a", "b", "c", "d"].map((project, i) => ({ date: "2026-11-21", project, cost_usd: 4 - i }));
    const s = costSeries({ tz: "UTC", days: [...days, { date: "2026-11-21", project: null, cost_usd: 0.5 }] }, 1, today, 3);
    expect(s.projects).toEqual(["a", "b", OTHER_PROJECTS]);
    expect(s.cost[0]).toEqual([4, 3, 2 + 1 + 0.5]);
  });

  it("is empty when nothing cost anything", () => {
    const s = costSeries({ tz: "UTC", days: [{ date: "2026-11-21", project: "x", cost_usd: 0 }] }, 2, today);
    expect(s.projects).toEqual([]);
    expect(s.max).toBe(0);
  });
});
