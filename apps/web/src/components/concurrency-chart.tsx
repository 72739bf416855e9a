"use client";

import { type KeyboardEvent, type PointerEvent, useRef, useState } from "react";
import type { Timeline } from "@pulse/core";
import { integerTicks, niceMax, stackedAreaPaths } from "@/lib/chart-scale";
import { LocalTime } from "./local-time";
import { useWidth } from "./use-width";

const HEIGHT = 180;
const MARGIN = { top: 10, right: 12, bottom: 24, left: 34 };

/**
 * Concurrent sessions over the last 24 h: working (green) with waiting (amber) stacked on top.
 * Point at it, or focus it and use the arrow keys, to read one moment.
 */
export function ConcurrencyChart({ timeline, error }: { timeline: Timeline | null; error: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 800);
  const [active, setActive] = useState<number | null>(null);

  if (!timeline) {
    return (
      <div className="chart chart-empty" ref={box}>
        <p>{error ? `The chart is unavailable: ${error}` : "Loading the chart…"}</p>
      </div>
    );
  }

  const points = timeline.points;
  const plotW = Math.max(50, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxTotal = Math.max(0, ...points.map((p) => p.working + p.waiting));
  const yMax = niceMax(maxTotal);
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const xAt = (i: number) => MARGIN.left + (points.length > 1 ? (i / (points.length - 1)) * plotW : plotW);
  const { bottom, top } = stackedAreaPaths(
    points.map((p, i) => ({ x: xAt(i), a: p.working, b: p.waiting })),
    y,
  );
  const spanHours = Math.round((Date.parse(timeline.to) - Date.parse(timeline.from)) / 3_600_000);
  // A phone has room for three labels, a laptop for five.
  const xTicks = (plotW < 420 ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1]).map((f) => ({
    x: MARGIN.left + f * plotW,
    label: f === 1 ? "now" : `${Math.round((1 - f) * spanHours)} h ago`,
  }));
  const last = points[points.length - 1];
  const peakIndex = points.reduce(
    (best, p, i) => (p.working + p.waiting > points[best].working + points[best].waiting ? i : best),
    0,
  );
  const peak = points[peakIndex];
  const shown = active !== null ? points[active] : null;

  const pick = (event: PointerEvent<SVGSVGElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const fraction = (event.clientX - rect.left - MARGIN.left) / plotW;
    setActive(Math.min(points.length - 1, Math.max(0, Math.round(fraction * (points.length - 1)))));
  };
  const step = (event: KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, Home: -points.length, End: points.length };
    if (!(event.key in moves)) return;
    event.preventDefault();
    setActive((i) => Math.min(points.length - 1, Math.max(0, (i ?? points.length - 1) + moves[event.key])));
  };

  return (
    <div className="chart" ref={box}>
      <p className="chart-readout" aria-live="polite">
        {shown ? (
          <>
            <LocalTime iso={shown.t} />: <strong className="fg-working">{shown.working} working</strong>,{" "}
            <strong className="fg-waiting">{shown.waiting} waiting</strong>
          </>
        ) : last ? (
          <>
            Now <strong className="fg-working">{last.working} working</strong>,{" "}
            <strong className="fg-waiting">{last.waiting} waiting</strong>
            {peak && maxTotal > 0 ? (
              <>
                {" "}
                · peak {maxTotal} at <LocalTime iso={peak.t} />
              </>
            ) : null}
          </>
        ) : (
          "No data yet"
        )}
      </p>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Concurrent sessions over the last ${spanHours} hours: at most ${maxTotal} at once; now ${last?.working ?? 0} working and ${last?.waiting ?? 0} waiting. Use the arrow keys to read each moment.`}
        tabIndex={0}
        onPointerMove={pick}
        onPointerLeave={() => setActive(null)}
        onKeyDown={step}
        onBlur={() => setActive(null)}
        className="chart-svg"
      >
        {integerTicks(yMax).map((v) => (
          <g key={v}>
            <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={MARGIN.left - 6} y={y(v)} dy="0.32em" textAnchor="end" className="chart-axis">
              {v}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            key={t.label}
            x={t.x}
            y={HEIGHT - 6}
            textAnchor={i === 0 ? "start" : i === xTicks.length - 1 ? "end" : "middle"}
            className="chart-axis"
          >
            {t.label}
          </text>
        ))}
        <path d={bottom} className="area-working" />
        <path d={top} className="area-waiting" />
        {active !== null ? (
          <line x1={xAt(active)} x2={xAt(active)} y1={MARGIN.top} y2={MARGIN.top + plotH} className="chart-cursor" />
        ) : null}
      </svg>
      <p className="chart-legend" aria-hidden="true">
        <span className="legend-swatch swatch-working" /> working <span className="legend-swatch swatch-waiting" />{" "}
        waiting
      </p>
    </div>
  );
}
