import type { SessionJson, SessionEventJson } from "@pulse/core";
import { formatCount, formatDuration, formatGap } from "@/lib/format";
import { EVENT_KIND_LABELS } from "@/lib/labels";
import { timelineRows } from "@/lib/timeline-rows";
import { Since } from "./clock";
import { LocalTime } from "./local-time";

/** The session's events, oldest first, turns and ends marked (see timelineRows). */
export function EventTimeline({ session, events }: { session: SessionJson; events: SessionEventJson[] }) {
  const rows = timelineRows(session, events);
  const truncated = session.event_count > events.length;
  if (rows.length === 0) return <p className="muted">No events stored for this session.</p>;
  return (
    <>
      {truncated ? (
        <p className="muted">
          Showing the newest {formatCount(events.length)} of {formatCount(session.event_count)} events.
        </p>
      ) : null}
      <ol className="timeline" aria-label="Events, oldest first">
        {rows.map((row) => {
          switch (row.type) {
            case "event": {
              const e = row.event;
              return (
                <li key={e.id} className={`tl-event tl-kind-${e.kind}`} data-kind={e.kind}>
                  <span className="tl-time">
                    <LocalTime iso={e.time} withSeconds />
                  </span>
                  <span className="tl-gap">{row.gapMs === null ? "" : formatGap(row.gapMs)}</span>
                  <span className={`kind kind-${e.kind}`}>{EVENT_KIND_LABELS[e.kind] ?? e.kind}</span>
                  <span className="tl-name">
                    {e.name ?? ""}
                    {e.tool ? <span className="tl-tool"> · {e.tool}</span> : null}
                  </span>
                  {e.detail ? (
                    <span className="tl-detail" title={e.detail}>
                      {e.detail}
                    </span>
                  ) : null}
                </li>
              );
            }
            case "turn":
              return (
                <li key={row.key} className="tl-marker tl-turn">
                  <span>Turn {row.number}</span>
                </li>
              );
            case "turn-end":
              return (
                <li key={row.key} className="tl-marker tl-turn-end">
                  <span>Turn ended: the agent handed back to you</span>
                </li>
              );
            case "wait":
              return (
                <li
                  key={row.key}
                  className={`tl-marker tl-wait${row.onUser ? " tl-wait-on-user" : ""}`}
                  data-marker="wait"
                  data-wait-ms={row.ms ?? ""}
                >
                  <span>
                    {row.onUser ? "Waited on you" : "Waited for the next prompt"}:{" "}
                    {row.ms !== null ? (
                      formatDuration(row.ms)
                    ) : session.status === "waiting" ? (
                      <>
                        <Since iso={row.since} /> so far
                      </>
                    ) : (
                      "until an event not shown"
                    )}
                  </span>
                </li>
              );
            case "reopen":
              return (
                <li key={row.key} className="tl-marker tl-reopen" data-marker="reopen">
                  <span>Reopened: an event arrived after the end</span>
                </li>
              );
            case "end":
              return (
                <li key={row.key} className="tl-marker tl-end" data-marker="end">
                  <span>
                    {row.label} · <LocalTime iso={row.time} withSeconds />
                  </span>
                </li>
              );
          }
        })}
      </ol>
    </>
  );
}
