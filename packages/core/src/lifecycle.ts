/**
 * The session lifecycle: when a session is active, waiting, ended or revived. The worker, the reaper
 * and the API all change sessions only through these functions, so the rules live here and nowhere
 * else. Pure: times are epoch milliseconds passed in, never read from a clock. "Rule N" below is
 * rule N of docs/lifecycle.md.
 */
import type { EventEndReason, NormalizedKind, Signal } from "./event";
import { oneLine } from "./text";
import { addUsage, NO_SESSION_USAGE, type SessionUsage, type UsageInput } from "./usage";

export type SessionStatus = "active" | "waiting" | "ended";
export const SESSION_STATUSES: readonly SessionStatus[] = ["active", "waiting", "ended"];

export type EndReason = EventEndReason | "closed" | "stale";
export const END_REASONS: readonly EndReason[] = ["session_end", "process_exit", "closed", "stale"];

/** Ends Pulse or the user inferred from silence; an explicit end from the agent is truer and replaces them. */
export const INFERRED_END_REASONS: ReadonlySet<EndReason> = new Set(["closed", "stale"]);

export const TITLE_MAX_CHARS = 80;

/**
 * Waiting reasons that block on the user (rule 14): the inbox lists them, `pulse status` counts them as
 * "needs you", and notifications default to the first three. A finished turn (`turn_end`), an agent
 * idling and a turn the user stopped themselves are waits too, but not news.
 */
export const NEEDS_YOU_REASONS: readonly string[] = ["permission", "question", "error", "attention"];
export const needsYou = (reason: string | null): boolean => reason !== null && NEEDS_YOU_REASONS.includes(reason);

/** Longest awaited detail kept on a session (the command, file, question or error). */
export const WAITING_DETAIL_MAX_CHARS = 500;

export interface SessionState extends SessionUsage {
  id: string;
  source: string;
  project: string | null;
  cwd: string | null;
  host: string | null;
  title: string | null;
  /** Time of the prompt the title came from: an older prompt arriving late takes the title over. */
  titleAt: number | null;
  status: SessionStatus;
  waitingReason: string | null;
  /** Start of the current wait (rule 14): unlike statusAt, a wait that goes on keeps it. */
  waitingSince: number | null;
  /** What the current wait is for: the tool and its command or file, the question, the error. */
  waitingDetail: string | null;
  /** Time spent in waits that needed the user (NEEDS_YOU_REASONS), summed over finished waits. */
  waitedMs: number;
  endReason: EndReason | null;
  endDetail: string | null;
  startedAt: number | null;
  lastEventAt: number | null;
  /** Time of the event that set the current status: older events never override it (rule 3). */
  statusAt: number | null;
  endedAt: number | null;
  eventCount: number;
  reopenCount: number;
  /** How the agent said it started (Claude Code: startup, resume, clear, compact). */
  startReason: string | null;
  /** The session this one continues after a `/clear`; linked by the store, not by events. */
  parentSessionId: string | null;
  /** OpenTelemetry spans seen for the session (they never change its status). */
  spanCount: number;
  /** Newest proof that the agent's process lives (rule 7); the reaper reads it beside lastEventAt. */
  aliveAt: number | null;
  /** Whether any status signal was seen: until one is, telemetry stands in for status (rule 6). */
  hasStatusSignal: boolean;
}

/** The part of an event the lifecycle reads. */
export interface LifecycleEvent {
  kind: NormalizedKind;
  time: number;
  source: string;
  cwd: string | null;
  project: string | null;
  host: string | null;
  detail: string | null;
  /** The tool an event concerns (a permission's tool): part of what a wait is for. */
  tool?: string | null;
  waitingReason: string | null;
  /** An agent's end (session_end, process_exit), or one Pulse inferred and recorded (stale, closed). */
  endReason: EndReason | null;
  endDetail: string | null;
  usage?: UsageInput | null;
  /** A prompt carried by an event that is not a prompt event (see MappedEvent.title). */
  title?: string | null;
  /** What kind of evidence the event is (rule 1); status when absent. */
  signal?: Signal;
}

/** A session Pulse has not seen an event of yet. */
export function newSession(id: string, source: string): SessionState {
  return {
    id,
    source,
    project: null,
    cwd: null,
    host: null,
    title: null,
    titleAt: null,
    status: "active",
    waitingReason: null,
    waitingSince: null,
    waitingDetail: null,
    waitedMs: 0,
    endReason: null,
    endDetail: null,
    startedAt: null,
    lastEventAt: null,
    statusAt: null,
    endedAt: null,
    eventCount: 0,
    reopenCount: 0,
    startReason: null,
    parentSessionId: null,
    spanCount: 0,
    aliveAt: null,
    hasStatusSignal: false,
    ...NO_SESSION_USAGE,
  };
}

/**
 * Rule 11: text an agent sends in place of a prompt it does not disclose (Claude Code's OpenTelemetry
 * `<REDACTED>`, Pulse's own "prompt of N characters" for a length-only record). It never titles a
 * session that has a real prompt source; on a session with none it stands in until a real prompt comes.
 */
const PLACEHOLDER_PROMPT = /^(<redacted>|\[redacted\]|prompt of \d+ characters)$/i;
export const isPlaceholderPrompt = (text: string): boolean => PLACEHOLDER_PROMPT.test(text.trim());

/** What an attention event says is awaited: "Bash: npm test", a question, an error. */
function awaitedDetail(event: LifecycleEvent): string | null {
  const tool = event.tool ?? null;
  const detail = event.detail ?? null;
  const text = tool && detail && detail !== tool ? `${tool}: ${detail}` : (detail ?? tool);
  return text ? oneLine(text, WAITING_DETAIL_MAX_CHARS) : null;
}

type WaitFields = Pick<SessionState, "waitingSince" | "waitingDetail" | "waitedMs">;

/** Rule 14: the wait a session is in ends at `t`; a wait that needed the user adds its length to waitedMs. */
function waitEnded(session: SessionState, t: number | null): WaitFields {
  const waited =
    session.status === "waiting" && session.waitingSince !== null && t !== null && needsYou(session.waitingReason)
      ? Math.max(0, t - session.waitingSince)
      : 0;
  return { waitingSince: null, waitingDetail: null, waitedMs: session.waitedMs + waited };
}

/**
 * Rule 14: the wait a waiting status event leaves the session in. The same reason again (Claude Code's
 * permission Notification six seconds after its PermissionRequest), or the agent saying it idles, goes
 * on with the wait: it keeps its start, and its detail unless it had none.
 */
function waitFrom(session: SessionState, reason: string, event: LifecycleEvent): WaitFields {
  const detail = awaitedDetail(event);
  const goesOn =
    session.status === "waiting" &&
    session.waitingSince !== null &&
    (session.waitingReason === reason || reason === "idle");
  if (goesOn)
    return {
      waitingSince: session.waitingSince,
      waitingDetail: session.waitingDetail ?? detail,
      waitedMs: session.waitedMs,
    };
  return {
    ...waitEnded(session, event.time),
    waitingSince: event.time,
    waitingDetail: reason === "turn_end" ? null : detail,
  };
}

/** Rule 3: the status a live session takes from a status event that is its newest. */
function liveStatusFrom(session: SessionState, event: LifecycleEvent): Partial<SessionState> {
  switch (event.kind) {
    case "turn_end":
      return {
        status: "waiting",
        waitingReason: "turn_end",
        statusAt: event.time,
        ...waitFrom(session, "turn_end", event),
      };
    case "attention": {
      const reason = event.waitingReason ?? "attention";
      // An agent saying it idles during a wait on the user (a dialog still open) does not close the
      // dialog: the wait keeps its reason. A finished turn that idles becomes `idle`.
      const kept = reason === "idle" && session.status === "waiting" && needsYou(session.waitingReason);
      return {
        status: "waiting",
        waitingReason: kept ? session.waitingReason : reason,
        statusAt: event.time,
        ...waitFrom(session, reason, event),
      };
    }
    default:
      return { status: "active", waitingReason: null, statusAt: event.time, ...waitEnded(session, event.time) };
  }
}

/** Rule 4: an end event ends the session at the event's own time. */
function endedBy(session: SessionState, event: LifecycleEvent): Partial<SessionState> {
  return {
    ...waitEnded(session, event.time),
    status: "ended",
    waitingReason: null,
    endReason: event.endReason ?? "session_end",
    endDetail: event.endDetail,
    endedAt: event.time,
    statusAt: event.time,
  };
}

/**
 * Applies one event (not seen before: duplicates are filtered by the caller) to a session.
 * The result does not depend on the worker's clock, only on event times.
 */
export function applyEvent(session: SessionState, event: LifecycleEvent): SessionState {
  const t = event.time;
  // Rules 8 and 10, recorded: an end Pulse inferred ends a live session at its time and never replaces
  // an end; it is Pulse's, not the agent's, so it counts as no event of the session.
  if (event.kind === "end" && event.endReason !== null && INFERRED_END_REASONS.has(event.endReason)) {
    return session.status === "ended" ? session : { ...session, ...endedBy(session, event) };
  }
  // Rule 7: proof of life moves alive_at and nothing else (no session is created or revived by it).
  if (event.kind === "alive")
    return { ...session, aliveAt: session.aliveAt === null ? t : Math.max(session.aliveAt, t) };
  // A span is telemetry about work, not a sign of life or of an end (an exporter may flush spans
  // late, or send zero-length ones): it is counted, nothing more. Explicit end spans arrive as `end`.
  if (event.kind === "span") return { ...session, spanCount: session.spanCount + 1 };
  const signal = event.signal ?? "status";
  // Rule 6: telemetry and bookkeeping stand in for status only on a session that has no status source.
  const asStatus = signal === "status" || (!session.hasStatusSignal && signal !== "liveness");
  // Rule 2: started_at is the oldest event, last_event_at the newest, whatever order they arrive in.
  const next: SessionState = {
    ...session,
    // Usage counts whenever it happened, even for an event that changes no status.
    ...(event.usage ? addUsage(session, event.usage, t) : null),
    cwd: session.cwd ?? event.cwd,
    project: session.project ?? event.project,
    host: session.host ?? event.host,
    startedAt: session.startedAt === null ? t : Math.min(session.startedAt, t),
    lastEventAt: session.lastEventAt === null ? t : Math.max(session.lastEventAt, t),
    eventCount: session.eventCount + 1,
    hasStatusSignal: session.hasStatusSignal || signal === "status",
  };
  if (event.kind === "start" && session.startReason === null && asStatus) next.startReason = event.detail;
  const prompt = event.title ?? (event.kind === "prompt" ? event.detail : null);
  if (prompt) {
    if (!isPlaceholderPrompt(prompt)) {
      // Rule 11: the oldest real prompt titles the session.
      if (session.titleAt === null || t < session.titleAt) {
        next.title = oneLine(prompt, TITLE_MAX_CHARS);
        next.titleAt = t;
      }
    } else if (session.title === null && !next.hasStatusSignal) {
      // A stand-in: titleAt stays null, so any real prompt replaces it.
      next.title = oneLine(prompt, TITLE_MAX_CHARS);
    }
  }
  if (!asStatus) return next;
  // The first status signal decides from scratch: what telemetry stood in for no longer counts.
  const statusAt = session.hasStatusSignal || signal !== "status" ? session.statusAt : null;

  if (session.status === "ended") {
    // Rule 5: an event at or before the end is stored but changes neither status nor end.
    if (session.endedAt !== null && t <= session.endedAt) return next;
    if (event.kind === "end") {
      // A later explicit end is not a revival: it replaces an inferred end (its true time and reason),
      // and never overrides an explicit one (e.g. a process-exit report right after SessionEnd).
      return session.endReason !== null && INFERRED_END_REASONS.has(session.endReason)
        ? { ...next, ...endedBy(session, event) }
        : next;
    }
    // Rule 5: a newer event revives the session.
    return {
      ...next,
      ...liveStatusFrom(session, event),
      endReason: null,
      endDetail: null,
      endedAt: null,
      reopenCount: session.reopenCount + 1,
    };
  }

  // Rule 3: a late, older event never overrides the status a newer one set.
  if (statusAt !== null && t < statusAt) return next;
  return event.kind === "end"
    ? { ...next, ...endedBy(session, event) }
    : { ...next, ...liveStatusFrom(session, event) };
}

/** Rule 8: the moment a session's silence is measured from: its newest event or proof of life. */
export function lastSignOfLife(session: SessionState): number | null {
  const event = session.lastEventAt ?? session.startedAt;
  if (session.aliveAt === null) return event;
  return event === null ? session.aliveAt : Math.max(event, session.aliveAt);
}

/**
 * An end Pulse infers (rules 8 and 10) as data: the store applies it to many sessions in one
 * statement (`ended_at` and `status_at` = the last sign of life, waiting reason and end detail cleared),
 * and `reap`/`close` below apply the very same to one session.
 */
export interface InferredEnd {
  status: "ended";
  endReason: "stale" | "closed";
  /** Where the end is placed: always the session's last sign of life (rule 8), never the time of the decision. */
  endedAt: "last_sign_of_life";
}
export const STALE_END: InferredEnd = { status: "ended", endReason: "stale", endedAt: "last_sign_of_life" };
export const CLOSED_END: InferredEnd = { status: "ended", endReason: "closed", endedAt: "last_sign_of_life" };

export function applyInferredEnd(session: SessionState, end: InferredEnd): SessionState {
  const at = lastSignOfLife(session);
  return {
    ...session,
    ...waitEnded(session, at),
    status: end.status,
    waitingReason: null,
    endReason: end.endReason,
    endDetail: null,
    endedAt: at,
    statusAt: at,
  };
}

/**
 * Rule 8: a session not ended whose last sign of life (event or proof of life) is older than the
 * cutoff is stale. The store's candidate query (`status <> 'ended' AND GREATEST(last_event_at,
 * alive_at) < cutoff`) is this test.
 */
export function isStale(session: SessionState, cutoffMs: number): boolean {
  const at = lastSignOfLife(session);
  return session.status !== "ended" && at !== null && at < cutoffMs;
}

/** Rule 8: the reaper's end of a stale session, at its last sign of life; null when it is not stale. */
export function reap(session: SessionState, cutoffMs: number): SessionState | null {
  return isStale(session, cutoffMs) ? applyInferredEnd(session, STALE_END) : null;
}

/** Rule 10: a user closing a session: ended at its last sign of life. Idempotent: an ended session is returned unchanged. */
export function close(session: SessionState): SessionState {
  return session.status === "ended" ? session : applyInferredEnd(session, CLOSED_END);
}

/** Rule 12: `ended_at − started_at` once ended, `last_event_at − started_at` before. */
export function durationMs(session: SessionState): number | null {
  if (session.startedAt === null) return null;
  const until = session.status === "ended" ? session.endedAt : session.lastEventAt;
  return until === null ? null : Math.max(0, until - session.startedAt);
}

/**
 * Rule 7: how often a watcher proves life, for a stale timeout: four chances per timeout, between 1 s
 * (tests run timeouts of seconds) and 60 s (one small request a minute per session is nothing).
 */
export function livenessIntervalMs(staleTimeoutMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(staleTimeoutMs / 4)));
}

/** The cutoff for staleness: sessions silent since before it are stale. */
export function staleCutoff(nowMs: number, timeoutMs: number): number {
  return nowMs - timeoutMs;
}
