import { ESTIMATE_NOTE } from "@pulse/core/display";
import { formatCost, formatEstimate } from "@/lib/format";

/** Said on hover (and read out) wherever an estimate is shown. */
export const ESTIMATE_TITLE = `Estimated: ${ESTIMATE_NOTE}`;

/** Pulse's estimate, marked as one wherever it appears: "≈ $0.12 est.", with what it is on hover. */
export function Estimate({ usd }: { usd: number }) {
  return (
    <span className="estimate" title={ESTIMATE_TITLE} data-estimate="">
      {formatEstimate(usd)}
    </span>
  );
}

/**
 * A cost as Pulse knows it: the cost the agent reported as it is, and Pulse's estimate (for usage
 * reported without a cost) beside it, marked, never added to it: "$0.42", "≈ $0.12 est.",
 * "$0.42 + ≈ $0.12 est."; `empty` when there is neither.
 */
export function CostFigure({
  reported,
  estimated,
  empty = "—",
}: {
  reported: number | null | undefined;
  estimated: number | null | undefined;
  empty?: string;
}) {
  const hasReported = typeof reported === "number" && reported > 0;
  const hasEstimate = typeof estimated === "number" && estimated > 0;
  if (!hasReported && !hasEstimate) return <>{empty}</>;
  return (
    <>
      {hasReported ? formatCost(reported) : null}
      {hasReported && hasEstimate ? " + " : null}
      {hasEstimate ? <Estimate usd={estimated} /> : null}
    </>
  );
}
