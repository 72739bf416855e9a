import type { SessionJson } from "@pulse/core";
import { STATUS_LABELS, statusDetail } from "@/lib/labels";

/**
 * Working: green pulsing dot. Waiting: amber, with why. Ended: grey, with how. The words carry the
 * meaning; colour only repeats it (for colour-blind readers and screen readers alike).
 */
export function StatusBadge({ session }: { session: Pick<SessionJson, "status" | "waiting_reason" | "end_reason"> }) {
  const detail = statusDetail(session);
  return (
    <span className={`badge badge-${session.status}`} data-status={session.status}>
      <span className="badge-dot" aria-hidden="true" />
      <span className="badge-label">{STATUS_LABELS[session.status] ?? session.status}</span>
      {detail ? <span className="badge-detail">{detail}</span> : null}
    </span>
  );
}
