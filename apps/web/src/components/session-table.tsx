import Link from "next/link";
import { memo } from "react";
import type { SessionJson } from "@pulse/core";
import { formatCount, formatTokens } from "@/lib/format";
import { sessionName, shortId } from "@/lib/labels";
import type { ProjectGroup } from "@/lib/session-order";
import { Ago, LiveDuration } from "./clock";
import { CostFigure } from "./cost-figure";
import { LocalTime } from "./local-time";
import { SourceLabel } from "./source-label";
import { StatusBadge } from "./status-badge";
import { WaitedOnYou } from "./waited-on-you";

export const sessionHref = (id: string) => `/sessions/${encodeURIComponent(id)}`;

/**
 * Cost, with the tokens it bought underneath: "$0.42" / "12.4K tok"; for agents that report no cost
 * (Codex, Gemini CLI) Pulse's estimate, marked: "≈ $0.12 est.". Dashes when ingest reports none.
 */
function Usage({ session }: { session: SessionJson }) {
  const tokens =
    (session.input_tokens ?? 0) +
    (session.output_tokens ?? 0) +
    (session.cache_read_tokens ?? 0) +
    (session.cache_creation_tokens ?? 0);
  if (session.cost_usd === undefined && session.input_tokens === undefined) return <>—</>;
  const title = `input ${formatTokens(session.input_tokens)}, output ${formatTokens(session.output_tokens)}, cache read ${formatTokens(session.cache_read_tokens)}, cache write ${formatTokens(session.cache_creation_tokens)}`;
  return (
    <span title={title}>
      <CostFigure reported={session.cost_usd} estimated={session.estimated_cost_usd} />
      {tokens > 0 ? <span className="tokens">{formatTokens(tokens)} tok</span> : null}
    </span>
  );
}

const SessionRow = memo(function SessionRow({ session }: { session: SessionJson }) {
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
          {shortId(session.id)}
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
      <td data-label="Waited on you" className="num cell-waited">
        <WaitedOnYou session={session} empty="—" />
      </td>
      <td data-label="Events" className="num">
        {formatCount(session.event_count)}
      </td>
      <td data-label="Cost" className="num cell-cost">
        <Usage session={session} />
      </td>
      <td data-label="Reopened" className="num">
        {session.reopen_count > 0 ? `${session.reopen_count}×` : "—"}
      </td>
    </tr>
  );
});

const COLUMNS = [
  "Status",
  "Session",
  "Source",
  "Host",
  "Started",
  "Last seen",
  "Duration",
  "Waited on you",
  "Events",
  "Cost",
  "Reopened",
];
const NUMERIC = new Set(["Duration", "Waited on you", "Events", "Cost", "Reopened"]);

/**
 * Every loaded session in one table (so columns line up), a row group per project, newest activity
 * first. On a phone each row becomes a card (see globals.css).
 */
export function SessionsTable({ groups }: { groups: ProjectGroup[] }) {
  return (
    <table className="sessions-table" aria-label="Sessions by project">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c} scope="col" className={NUMERIC.has(c) ? "num" : undefined} data-col={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.project ?? "\u0000none"} className="project-group" data-project={group.project ?? ""}>
          <tr className="group-row">
            <th scope="rowgroup" colSpan={COLUMNS.length} className="project-name">
              {group.project ?? "No project"}{" "}
              <span className="project-count">{formatCount(group.sessions.length)}</span>
            </th>
          </tr>
          {group.sessions.map((s) => (
            <SessionRow key={s.id} session={s} />
          ))}
        </tbody>
      ))}
    </table>
  );
}
