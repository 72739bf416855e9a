/** Human-readable durations and counts. Pure, so server and browser render the same text. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad = (n: number) => String(n).padStart(2, "0");

/** "45 s", "12 min 03 s", "1 h 05 min", "2 d 3 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const t = Math.max(0, Math.floor(ms));
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)} min ${pad(Math.floor((t % MINUTE) / SECOND))} s`;
  if (t < DAY) return `${Math.floor(t / HOUR)} h ${pad(Math.floor((t % HOUR) / MINUTE))} min`;
  return `${Math.floor(t / DAY)} d ${Math.floor((t % DAY) / HOUR)} h`;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(ms: number): string {
  const t = Math.max(0, ms);
  if (t < SECOND) return "just now";
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s ago`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)} min ago`;
  if (t < DAY) return `${Math.floor(t / HOUR)} h ago`;
  return `${Math.floor(t / DAY)} d ago`;
}

/** "+3 s", "+2 min 10 s": the gap between two events. */
export function formatGap(ms: number): string {
  return `+${formatDuration(ms)}`;
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en");

export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "—" : whole.format(n));

/** Token counts: "812", "12.4K", "3.1M". */
export const formatTokens = (n: number | null | undefined) => (n === null || n === undefined ? "—" : compact.format(n));

/** "$0.42", "$12.30", "<$0.01". */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "—";
  if (usd > 0 && usd < 0.01) return "<$0.01";
  return `$${usd.toFixed(2)}`;
}

/**
 * Pulse's estimate of a cost (never a reported one): "≈ $0.12 est.", "≈ <$0.01 est.". Always marked,
 * so it is never read as what the agent reported.
 */
export function formatEstimate(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "—";
  return `≈ ${formatCost(usd)} est.`;
}

/** "$0.42", "≈ $0.12 est.", "$0.42 + ≈ $0.12 est.": a reported cost and an estimate as one line of text, never summed. */
export function formatCostWithEstimate(reported: number, estimated: number): string {
  if (estimated > 0 && reported > 0) return `${formatCost(reported)} + ${formatEstimate(estimated)}`;
  return estimated > 0 ? formatEstimate(estimated) : formatCost(reported);
}

/** Local midnight of the day containing `now`, as ISO: the start of "today" for the KPI cards. */
export function localMidnightIso(now: number): string {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}
