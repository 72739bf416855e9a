"use client";

import { useDaily } from "@/hooks/use-daily";
import { formatDuration } from "@/lib/format";

const DAYS = 14;

/**
 * Time the agents spent waiting on the user per day (the finished waits of that day's sessions:
 * `waiting_ms` of GET /v1/stats/daily), newest day first, each as a bar against the longest day.
 */
export function WaitingByDay() {
  const { data, error } = useDaily(DAYS);
  if (error && !data) return <p className="muted">Could not read the daily figures: {error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const days = [...data.days].reverse();
  const longest = Math.max(1, ...days.map((d) => d.waiting_ms));
  if (days.every((d) => d.waiting_ms === 0)) return <p className="muted">No waits on you in the last {DAYS} days.</p>;
  return (
    <dl className="waiting-days" data-testid="waiting-by-day">
      {days.map((d) => (
        <div key={d.date} style={{ display: "contents" }} data-date={d.date}>
          <dt>{d.date}</dt>
          <dd aria-hidden="true">
            <div className="waiting-bar" style={{ width: `${(100 * d.waiting_ms) / longest}%` }} />
          </dd>
          <dd className="waiting-value">{d.waiting_ms > 0 ? formatDuration(d.waiting_ms) : "—"}</dd>
        </div>
      ))}
    </dl>
  );
}
