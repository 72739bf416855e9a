/** Small helpers for the hand-written SVG charts (no chart library: a few paths are enough). */

/** A round upper bound for a y axis: 1, 2, 5, 10, 20, 50… at or above `max` (at least 1). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** Whole-number ticks from 0 to `max` in a round step (1, 2, 5, 10…) that divides it: at most 6 labels. */
export function integerTicks(max: number): number[] {
  let step: number;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((c) => max % c === 0 && max / c <= 5);
    if (found !== undefined) {
      step = found;
      break;
    }
    if (magnitude > max) {
      step = Math.max(1, max);
      break;
    }
  }
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  return ticks;
}

export interface StackedPoint {
  x: number;
  /** Bottom layer value. */
  a: number;
  /** Top layer value, stacked on `a`. */
  b: number;
}

/**
 * SVG path data for two stacked areas: the bottom one from the baseline to `a`, the top one from
 * `a` to `a + b`. `y` maps a value to a pixel row.
 */
export function stackedAreaPaths(
  points: readonly StackedPoint[],
  y: (value: number) => number,
): { bottom: string; top: string } {
  if (points.length === 0) return { bottom: "", top: "" };
  const line = (ps: readonly StackedPoint[], value: (p: StackedPoint) => number) =>
    ps.map((p) => `${p.x.toFixed(1)},${y(value(p)).toFixed(1)}`).join(" L");
  const reversed = [...points].reverse();
  const bottom = `M${line(points, (p) => p.a)} L${line(reversed, () => 0)} Z`;
  const top = `M${line(points, (p) => p.a + p.b)} L${line(reversed, (p) => p.a)} Z`;
  return { bottom, top };
}
