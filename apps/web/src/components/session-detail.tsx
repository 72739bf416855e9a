"use client";

import Link from "next/link";
import { useSession } from "@/hooks/use-session";
import type { SessionWithEventsJson } from "@pulse/core";
import { formatCount, formatTokens } from "@/lib/format";
import { sessionName, shortId, waitingReasonLabel } from "@/lib/labels";
import { Ago, LiveDuration, Since } from "./clock";
import { CloseSessionButton } from "./close-session-button";
import { CostFigure } from "./cost-figure";
import { EventTimeline } from "./event-timeline";
import { IngestBanner } from "./ingest-banner";
import { LocalTime } from "./local-time";
import { sessionHref } from "./session-table";
import { SourceLabel } from "./source-label";
import { StatusBadge } from "./status-badge";
import { WaitedOnYou } from "./waited-on-you";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * One session, kept current by the client cache: a change on the stream updates the header at
 * once, then the events are refetched (a burst of changes costs one refetch; hooks/live-cache.ts).
 */
export function SessionDetail({ initial }: { initial: SessionWithEventsJson }) {
  const { session, error } = useSession(initial);

  const open = session.status !== "ended";
  return (
    <>
      {error ? <IngestBanner message={error} /> : null}
      <p className="breadcrumbs">
        <Link href="/">Sessions</Link> / {session.project ?? "No project"}
      </p>
      <header className="session-header">
        <div className="session-heading">
          <StatusBadge session={session} />
          <h1 className="session-title">{sessionName(session)}</h1>
        </div>
        {open ? <CloseSessionButton session={session} /> : null}
      </header>
      <dl className="facts">
        <Fact label="Session id">
          <code className="break">{session.id}</code>
        </Fact>
        <Fact label="Source">
          <SourceLabel source={session.source} />
        </Fact>
        <Fact label="Project">{session.project ?? "—"}</Fact>
        <Fact label="Folder">{session.cwd ? <code className="break">{session.cwd}</code> : "—"}</Fact>
        <Fact label="Host">{session.host ?? "—"}</Fact>
        <Fact label="Started">
          <LocalTime iso={session.started_at} withSeconds />
        </Fact>
        <Fact label="Last seen">
          <Ago iso={session.last_event_at} />
        </Fact>
        {session.status === "waiting" && session.waiting_since ? (
          <Fact label="Waiting">
            <span data-testid="current-wait">
              for {session.waiting_detail ?? waitingReasonLabel(session.waiting_reason) ?? "you"} · since{" "}
              <LocalTime iso={session.waiting_since} withSeconds /> (<Since iso={session.waiting_since} />)
            </span>
          </Fact>
        ) : null}
        <Fact label="Waited on you">
          <span data-testid="waited-on-you">
            <WaitedOnYou session={session} />
          </span>
        </Fact>
        {session.ended_at ? (
          <Fact label="Ended">
            <LocalTime iso={session.ended_at} withSeconds />
          </Fact>
        ) : null}
        <Fact label="Duration">
          <LiveDuration startedAt={session.started_at} durationMs={session.duration_ms} open={open} />
        </Fact>
        <Fact label="Events">{formatCount(session.event_count)}</Fact>
        <Fact label="Model">{session.model ?? "—"}</Fact>
        <Fact label="Cost">
          <CostFigure reported={session.cost_usd} estimated={session.estimated_cost_usd} empty="$0.00" />
        </Fact>
        <Fact label="Tokens in / out">
          {formatTokens(session.input_tokens)} / {formatTokens(session.output_tokens)}
        </Fact>
        <Fact label="Cache read / write">
          {formatTokens(session.cache_read_tokens)} / {formatTokens(session.cache_creation_tokens)}
        </Fact>
        <Fact label="Tool calls">{formatCount(session.tool_calls)}</Fact>
        <Fact label="API errors">{formatCount(session.api_errors)}</Fact>
        <Fact label="Reopened">{session.reopen_count > 0 ? `${session.reopen_count}×` : "never"}</Fact>
        {session.parent_session_id ? (
          <Fact label="Continued from">
            <Link href={sessionHref(session.parent_session_id)} data-testid="parent-link">
              {shortId(session.parent_session_id)} (before /clear)
            </Link>
          </Fact>
        ) : null}
      </dl>
      <section className="panel" aria-labelledby="events-heading">
        <h2 id="events-heading" className="panel-title">
          Timeline
        </h2>
        <EventTimeline session={session} events={session.events} />
      </section>
    </>
  );
}
