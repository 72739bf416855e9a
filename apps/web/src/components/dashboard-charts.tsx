"use client";

import { useTimeline } from "@/hooks/use-timeline";
import { ConcurrencyChart } from "./concurrency-chart";
import { CostChart } from "./cost-chart";
import { WaitingByDay } from "./waiting-by-day";

/** The sessions page's charts, side by side; each reads its own data, so none waits for the list. */
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
      <section className="panel chart-wide" aria-labelledby="waiting-heading">
        <h2 id="waiting-heading" className="panel-title">
          Time waiting on you, last 14 days
        </h2>
        <WaitingByDay />
      </section>
    </div>
  );
}
