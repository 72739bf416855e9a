import Link from "next/link";
import type { StatsJson } from "@pulse/core";
import { formatCost, formatCount, formatDuration } from "@/lib/format";
import { Estimate } from "./cost-figure";

interface Kpi {
  label: string;
  value: string;
  hint: string;
  tone: "working" | "waiting" | "neutral";
  /** Where the card leads: the sessions it counts. */
  href?: string;
  /** Pulse's estimate beside the value (cost): shown marked, never added to the value. */
  estimate?: number;
}

function kpisOf(stats: StatsJson | null): Kpi[] {
  const today = stats?.since;
  return [
    // Status "active" only: a session waiting for any reason, or ended, is not working.
    {
      label: "Working now",
      value: formatCount(stats?.active),
      hint: "agents busy right now",
      tone: "working",
      href: "/?status=active",
    },
    {
      label: "Waiting on you",
      value: formatCount(stats?.waiting),
      hint: "permission, a question, an error, interrupted, idle or turn ended",
      tone: "waiting",
      href: "/?status=waiting",
    },
    {
      label: "Ended today",
      value: formatCount(today?.ended),
      hint: "since local midnight",
      tone: "neutral",
      href: "/?status=ended",
    },
    {
      label: "Avg. duration today",
      value: today ? formatDuration(today.avg_duration_ms) : "—",
      hint: "of sessions ended today",
      tone: "neutral",
    },
    {
      label: "Timed out (24 h)",
      value: formatCount(stats?.stale_24h),
      hint: "ended stale: no event and no proof of life for the stale timeout",
      tone: "neutral",
    },
    {
      label: "Cost today",
      value: formatCost(today?.cost_usd),
      hint: today?.estimated_cost_usd
        ? "reported since midnight; est. = from tokens at list price"
        : "API cost reported since midnight",
      tone: "neutral",
      estimate: today?.estimated_cost_usd || undefined,
    },
  ];
}

/** The figures a person checks first. Each links to the sessions it counts, where that makes sense. */
export function KpiCards({ stats }: { stats: StatsJson | null }) {
  return (
    <ul className="kpis" aria-label="Key figures">
      {kpisOf(stats).map((kpi) => {
        const body = (
          <>
            <span className="kpi-label">{kpi.label}</span>
            <span className="kpi-value" data-kpi={kpi.label}>
              {kpi.value}
            </span>
            {kpi.estimate ? (
              <span className="kpi-estimate" data-kpi-estimate={kpi.label}>
                + <Estimate usd={kpi.estimate} />
              </span>
            ) : null}
            <span className="kpi-hint">{kpi.hint}</span>
          </>
        );
        return (
          <li key={kpi.label} className={`kpi kpi-${kpi.tone}`}>
            {kpi.href ? (
              <Link href={kpi.href} className="kpi-link">
                {body}
              </Link>
            ) : (
              <div className="kpi-body">{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
