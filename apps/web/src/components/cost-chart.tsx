"use client";

import { type KeyboardEvent, useId, useMemo, useRef, useState } from "react";
import { useCostByProject } from "@/hooks/use-cost-by-project";
import { niceMax } from "@/lib/chart-scale";
import { costSeries, OTHER_PROJECTS } from "@/lib/cost-series";
import { formatCost, formatCostWithEstimate, formatEstimate } from "@/lib/format";
import { ESTIMATE_TITLE } from "./cost-figure";
import { useWidth } from "./use-width";

const DAYS = 14;
const HEIGHT = 190;
const MARGIN = { top: 10, right: 8, bottom: 24, left: 52 };
/** Okabe–Ito: told apart by colour-blind readers too; grey is "other projects". */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
const OTHER_COLOUR = "#8b93a1";

/**
 * "$0", "$50", "$100"; cents when the scale is that small, and finer still for the fractions of a
 * cent estimates often come to ("$0.005"), so no two ticks read the same.
 */
const axisDollars = (v: number, max: number) =>
  max >= 10 ? `$${Math.round(v)}` : `$${v.toFixed(Math.min(6, Math.max(2, Math.ceil(-Math.log10(max)) + 1)))}`;

const dayLabel = (date: string) =>
  new Date(`${date}T12:00:00`).toLocaleDateString("en-GB", { day: "numeric", month: "short" });

/**
 * Cost per project per day over the last two weeks, in the viewer's time zone (so fetched by the
 * browser, which knows it). Focus it and use the arrow keys, or point at a bar, to read a day. Pulse's
 * estimate (agents that report tokens but no cost) is drawn hatched on top of each project's reported
 * cost and always read out apart from it, marked "est.".
 */
export function CostChart() {
  const box = useRef<HTMLDivElement>(null);
  const hatchId = useId().replaceAll(":", "");
  const width = useWidth(box, 800);
  const { data, error } = useCostByProject(DAYS);
  const [active, setActive] = useState<number | null>(null);

  const series = useMemo(() => (data ? costSeries(data, DAYS, new Date()) : null), [data]);
  if (!series) {
    return (
      <div className="chart chart-empty" ref={box}>
        <p>{error ? `The cost chart is unavailable: ${error}` : "Loading costs…"}</p>
      </div>
    );
  }
  if (series.projects.length === 0) {
    return (
      <div className="chart chart-empty" ref={box} data-testid="cost-chart-empty">
        <p>
          No cost reported or estimated in the last {DAYS} days. Pulse learns tokens and cost from the agents&apos;
          OpenTelemetry export (see docs/dashboard.md).
        </p>
      </div>
    );
  }

  const plotW = Math.max(50, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const yMax = niceMax(series.max);
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const slot = plotW / DAYS;
  const barW = Math.max(4, slot * 0.7);
  const colour = (i: number) =>
    i < PALETTE.length && series.projects[i] !== OTHER_PROJECTS ? PALETTE[i] : OTHER_COLOUR;
  const total = series.totals.reduce((a, b) => a + b, 0);
  const estimatedTotal = series.estimatedTotals.reduce((a, b) => a + b, 0);
  const hatch = (pi: number) => `${hatchId}-est-${pi}`;
  const labelEvery = plotW < 420 ? 4 : plotW < 700 ? 2 : 1;
  const shown = active ?? null;

  const step = (event: KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, Home: -DAYS, End: DAYS };
    if (!(event.key in moves)) return;
    event.preventDefault();
    setActive((i) => Math.min(DAYS - 1, Math.max(0, (i ?? DAYS - 1) + moves[event.key])));
  };

  return (
    <div className="chart" ref={box} data-testid="cost-chart">
      <p className="chart-readout" aria-live="polite">
        {shown !== null ? (
          <>
            <strong>{dayLabel(series.dates[shown])}</strong>:{" "}
            {formatCostWithEstimate(series.totals[shown], series.estimatedTotals[shown])}
            {series.projects.map((p, i) =>
              series.cost[shown][i] > 0 || series.estimated[shown][i] > 0 ? (
                <span key={p}>
                  {" "}
                  · {p} {formatCostWithEstimate(series.cost[shown][i], series.estimated[shown][i])}
                </span>
              ) : null,
            )}
          </>
        ) : (
          <>
            {formatCost(total)} in {DAYS} days · today {formatCost(series.totals[DAYS - 1])}
            {estimatedTotal > 0 ? (
              <span className="estimate" title={ESTIMATE_TITLE} data-estimate="">
                {" "}
                · {formatEstimate(estimatedTotal)} in {DAYS} days, today{" "}
                {formatEstimate(series.estimatedTotals[DAYS - 1])}
              </span>
            ) : null}
          </>
        )}
      </p>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Cost per project per day over the last ${DAYS} days: ${formatCostWithEstimate(total, estimatedTotal)} in all. Use the arrow keys to read each day.`}
        tabIndex={0}
        onKeyDown={step}
        onBlur={() => setActive(null)}
        onPointerLeave={() => setActive(null)}
        className="chart-svg"
      >
        <defs>
          {series.projects.map((p, pi) => (
            <pattern
              key={p}
              id={hatch(pi)}
              width="4"
              height="4"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="4" height="4" fill={colour(pi)} fillOpacity="0.18" />
              <rect width="2" height="4" fill={colour(pi)} />
            </pattern>
          ))}
        </defs>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(f * yMax)} y2={y(f * yMax)} className="chart-grid" />
            <text x={MARGIN.left - 6} y={y(f * yMax)} dy="0.32em" textAnchor="end" className="chart-axis">
              {axisDollars(f * yMax, yMax)}
            </text>
          </g>
        ))}
        {series.dates.map((date, di) => {
          const x = MARGIN.left + di * slot + (slot - barW) / 2;
          let base = 0;
          return (
            <g key={date} onPointerEnter={() => setActive(di)} className={active === di ? "bar-active" : undefined}>
              <rect x={MARGIN.left + di * slot} y={MARGIN.top} width={slot} height={plotH} fill="transparent" />
              {series.cost[di].map((c, pi) => {
                if (c <= 0) return null;
                const top = y(base + c);
                const rect = (
                  <rect key={pi} x={x} y={top} width={barW} height={Math.max(1, y(base) - top)} fill={colour(pi)} />
                );
                base += c;
                return rect;
              })}
              {/* The estimate on top, hatched: never one colour with the reported cost. */}
              {series.estimated[di].map((c, pi) => {
                if (c <= 0) return null;
                const top = y(base + c);
                const rect = (
                  <rect
                    key={`est-${pi}`}
                    x={x}
                    y={top}
                    width={barW}
                    height={Math.max(1, y(base) - top)}
                    fill={`url(#${hatch(pi)})`}
                    data-estimate=""
                  />
                );
                base += c;
                return rect;
              })}
              {di % labelEvery === (DAYS - 1) % labelEvery ? (
                <text x={x + barW / 2} y={HEIGHT - 6} textAnchor="middle" className="chart-axis">
                  {di === DAYS - 1 ? "today" : dayLabel(date)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend legend-list" aria-label="Projects">
        {series.projects.map((p, i) => (
          <li key={p}>
            <span className="legend-swatch" style={{ background: colour(i) }} aria-hidden="true" /> {p}
          </li>
        ))}
        {estimatedTotal > 0 ? (
          <li className="estimate" title={ESTIMATE_TITLE} data-estimate="">
            <span className="legend-swatch legend-swatch-estimate" aria-hidden="true" /> hatched: estimated (≈, est.)
          </li>
        ) : null}
      </ul>
    </div>
  );
}
