"use client";

import { useTimeline } from "@/hooks/use-timeline";
import { ConcurrencyChart } from "./concurrency-chart";
import { CostChart } from "./cost-chart";

/** The sessions page's two charts, side by side; each reads its own data, so neither waits for the list. */
export function DashboardCharts() {
  const { timeline, error } = useTimeline();
  return (
    <div className="chart-row">
      <section className="panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading" className="panel-title">
          Concurrent sessions, last 24 h
        </h2>
        <ConcurrencyChart timeline={timeline} error={error} />
      </section>
      <section className="panel" aria-labelledby="cost-heading">
        <h2 id="cost-heading" className="panel-title">
          Cost per project, last 14 days
        </h2>
        <CostChart />
      </section>
    </div>
  );
}
