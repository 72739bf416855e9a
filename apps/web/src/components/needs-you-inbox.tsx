"use client";

import Link from "next/link";
import { useInbox } from "@/hooks/use-inbox";
import { sessionName, waitingReasonLabel } from "@/lib/labels";
import { Since } from "./clock";
import { sessionHref } from "./session-table";
import { SourceLabel } from "./source-label";

/**
 * "Needs you": every open session waiting on the user (permission, question, error, attention) for
 * at least the settle time, oldest wait first, with what it waits for and for how long (ticking).
 * It reads its own query of every waiting session, not the filtered list below, and empties itself
 * as waits end. Hidden while empty, so a quiet dashboard stays as it was.
 */
export function NeedsYouInbox() {
  const { entries } = useInbox();
  if (entries.length === 0) return null;
  return (
    <section className="panel inbox" aria-labelledby="inbox-heading" data-testid="inbox">
      <h2 id="inbox-heading" className="panel-title">
        Needs you <span className="inbox-count">{entries.length}</span>
      </h2>
      <ol className="inbox-list">
        {entries.map((s) => (
          <li key={s.id} className="inbox-item" data-session-id={s.id} data-waiting-since={s.waiting_since ?? ""}>
            <span className="inbox-reason badge badge-waiting">{waitingReasonLabel(s.waiting_reason)}</span>
            <Link href={sessionHref(s.id)} className="inbox-what">
              {s.waiting_detail ?? sessionName(s)}
            </Link>
            <span className="inbox-waited" title="waiting for">
              <Since iso={s.waiting_since} />
            </span>
            <span className="inbox-where muted">
              {s.project ?? "No project"} · {s.host ?? "unknown host"} · <SourceLabel source={s.source} />
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
