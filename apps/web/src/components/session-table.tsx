import Link from "next/link";
import { memo } from "react";
import type { Session } from "@/lib/api-types";
import { formatCount } from "@/lib/format";
import { sessionName } from "@/lib/labels";
import type { ProjectGroup } from "@/lib/session-order";
import { Ago, LiveDuration } from "./clock";
import { LocalTime } from "./local-time";
import { SourceLabel } from "./source-label";
import { StatusBadge } from "./status-badge";

export const sessionHref = (id: string) => `/sessions/${encodeURIComponent(id)}`;

const SessionRow = memo(function SessionRow({ session }: { session: Session }) {
  const open = session.status !== "ended";
  return (
    <tr className={`session-row row-${session.status}`} data-session-id={session.id}>
      <td data-label="Status">
        <StatusBadge session={session} />
      </td>
      <td data-label="Session" className="cell-title">
        <Link href={sessionHref(session.id)} className="session-link">
          {sessionName(session)}
        </Link>
        <span className="session-id" title={session.id}>
          {session.id.slice(0, 8)}
        </span>
      </td>
      <td data-label="Source">
        <SourceLabel source={session.source} />
      </td>
      <td data-label="Host">{session.host ?? "—"}</td>
      <td data-label="Started">
        <LocalTime iso={session.started_at} />
      </td>
      <td data-label="Last seen" className="cell-last-seen">
        <Ago iso={session.last_event_at} />
      </td>
      <td data-label="Duration" className="num">
        <LiveDuration startedAt={session.started_at} durationMs={session.duration_ms} open={open} />
      </td>
      <td data-label="Events" className="num">
        {formatCount(session.event_count)}
      </td>
      <td data-label="Reopened" className="num">
        {session.reopen_count > 0 ? `${session.reopen_count}×` : "—"}
      </td>
    </tr>
  );
});

/** One project's sessions, newest activity first. On a phone each row becomes a card (see globals.css). */
export function SessionGroupTable({ group, index }: { group: ProjectGroup; index: number }) {
  const name = group.project ?? "No project";
  const headingId = `project-heading-${index}`;
  return (
    <section className="project-group" aria-labelledby={headingId}>
      <h3 id={headingId} className="project-name">
        {name} <span className="project-count">{formatCount(group.sessions.length)}</span>
      </h3>
      <table className="sessions-table">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Session</th>
            <th scope="col">Source</th>
            <th scope="col">Host</th>
            <th scope="col">Started</th>
            <th scope="col">Last seen</th>
            <th scope="col" className="num">Duration</th>
            <th scope="col" className="num">Events</th>
            <th scope="col" className="num">Reopened</th>
          </tr>
        </thead>
        <tbody>
          {group.sessions.map((s) => (
            <SessionRow key={s.id} session={s} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
