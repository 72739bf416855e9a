import type { AgentUser, ConformanceKit } from "../../agents/conformance-kit";
import type { AgentId } from "../../agents/drivers/agent-driver";
import { describeState, type ExpectedState, type SeenState } from "../../agents/observer";
import { sleep } from "../../agents/tmux";
import type { SessionJson } from "../../../packages/core/src/session-json";

/**
 * The stale timeout of the stacks that check "a live session is never timed out": short, so 3× it
 * fits in a test; the reaper runs every second there.
 */
export const SHORT_STALE_TIMEOUT_MINUTES = 0.1;
export const SHORT_TIMEOUT_MS = SHORT_STALE_TIMEOUT_MINUTES * 60_000;
export const SHORT_TIMEOUT_STACK = {
  env: { SESSION_STALE_TIMEOUT_MINUTES: String(SHORT_STALE_TIMEOUT_MINUTES), REAPER_INTERVAL_SECONDS: "1" },
};

/** A user in a terminal at the agent's prompt, their session known to Pulse. */
export async function inTerminal<A extends AgentId>(
  kit: ConformanceKit<A>,
  options: {
    pulseUrl?: string;
    args?: string[];
    env?: Record<string, string> | (() => Record<string, string>);
    prepare?: (user: AgentUser<A>) => void | Promise<void>;
  } = {},
) {
  const user = await kit.user({ pulseUrl: options.pulseUrl });
  await options.prepare?.(user);
  // env may be computed by prepare (e.g. from `pulse otel env`).
  const env = typeof options.env === "function" ? options.env() : options.env;
  const agent = await user.driver.interactive({ args: options.args, env });
  const session = await user.observer.waitForSession();
  return { ...user, agent, session };
}

/**
 * Waits for Pulse to show `want` after `trigger` and records the latency in the figures, whether it
 * comes in time or not (then with what Pulse showed instead). The deadline is 3× the target unless
 * given: tests assert behaviour with room, the figures say how fast it really was.
 */
export async function expectState<A extends AgentId>(
  kit: ConformanceKit<A>,
  user: Pick<AgentUser<A>, "observer">,
  sessionId: string,
  options: {
    case: string;
    metric: string;
    want: ExpectedState;
    trigger: number;
    targetMs?: number;
    deadlineMs?: number;
    after?: number;
  },
): Promise<SeenState> {
  const deadlineMs = options.deadlineMs ?? (options.targetMs ?? 2000) * 3;
  const after = options.after ?? options.trigger;
  try {
    const seen = await user.observer.waitForState(sessionId, options.want, {
      after,
      timeoutMs: Math.max(0, options.trigger + deadlineMs - Date.now()),
    });
    kit.figures.record({
      agent: kit.agent,
      case: options.case,
      metric: options.metric,
      ms: Math.max(0, seen.at - options.trigger),
      targetMs: options.targetMs,
    });
    return seen;
  } catch (error) {
    const latest = user.observer.latest(sessionId);
    kit.figures.record({
      agent: kit.agent,
      case: options.case,
      metric: options.metric,
      ms: Date.now() - options.trigger,
      targetMs: options.targetMs,
      observed: latest ? `FAILED: ${describeState(latest)}` : "FAILED: no session",
    });
    throw error;
  }
}

/**
 * Watches a session for `forMs` and fails if Pulse showed any state `bad` accepts in that window
 * (e.g. ended while the agent lives). Returns the states it went through.
 */
export async function expectNever<A extends AgentId>(
  kit: ConformanceKit<A>,
  user: Pick<AgentUser<A>, "observer">,
  sessionId: string,
  options: { case: string; from: number; forMs: number; bad: (s: SeenState["session"]) => boolean; what: string },
): Promise<void> {
  while (Date.now() < options.from + options.forMs) {
    const bad = user.observer.statesSince(sessionId, options.from).find((s) => options.bad(s.session));
    if (bad) {
      kit.figures.record({
        agent: kit.agent,
        case: options.case,
        metric: `${options.what} (should never happen)`,
        ms: bad.at - options.from,
        observed: `FAILED: ${describeState(bad.session)}`,
      });
      throw new Error(
        `${options.case}: Pulse showed ${describeState(bad.session)} ${((bad.at - options.from) / 1000).toFixed(1)} s in; states: ${user.observer.timeline(sessionId, options.from)}`,
      );
    }
    await sleep(100);
  }
  kit.figures.record({
    agent: kit.agent,
    case: options.case,
    metric: `watched for ${options.what}: none`,
    ms: options.forMs,
  });
}

/**
 * The "OTel on" check every agent shares (issue 9, item 1): after a turn the session stays waiting
 * for `forMs` (telemetry and bookkeeping never move it), is titled by the real prompt, and counts
 * the turn's tokens.
 */
export async function expectOtelTurn<A extends AgentId>(
  kit: ConformanceKit<A>,
  user: Pick<AgentUser<A>, "observer">,
  sessionId: string,
  { waitingAt, prompt, forMs }: { waitingAt: number; prompt: string; forMs: number },
): Promise<void> {
  await expectNever(kit, user, sessionId, {
    case: "OTel on",
    from: waitingAt,
    forMs,
    bad: (s) => s.status !== "waiting",
    what: "waiting → another state after the turn",
  });
  const latest = user.observer.latest(sessionId)!;
  kit.figures.record({
    agent: kit.agent,
    case: "OTel on",
    metric: `title "${latest.title}", input_tokens ${latest.input_tokens}`,
    ms: 0,
    observed: latest.title === prompt && (latest.input_tokens ?? 0) > 0 ? undefined : "FAILED",
  });
  expect(latest.title).toBe(prompt);
  expect(latest.input_tokens ?? 0).toBeGreaterThan(0);
}

/**
 * A control session with no agent, no watcher and no proof of life, posted through `/v1/events`:
 * the reaper must still end it `stale` after the timeout (today's rule for sessions without a
 * watcher). Shows a "never ended" case runs on a stack whose reaper really ends silent sessions.
 */
export async function postControlSession<A extends AgentId>(kit: ConformanceKit<A>, label: string): Promise<string> {
  const id = `control-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const response = await fetch(`${kit.stack.url}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ session_id: id, source: "conformance-control", kind: "start", time: Date.now() }),
  });
  if (response.status !== 202) throw new Error(`control session: /v1/events answered ${response.status}`);
  return id;
}

/** Waits until the control session shows ended·stale (fails after `timeoutMs`). */
export async function expectControlReaped<A extends AgentId>(
  kit: ConformanceKit<A>,
  id: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const response = await fetch(`${kit.stack.url}/v1/sessions/${encodeURIComponent(id)}`);
    if (response.ok) {
      const s = (await response.json()) as SessionJson;
      last = describeState(s);
      if (s.status === "ended" && s.end_reason === "stale") return;
    }
    await sleep(200);
  }
  throw new Error(
    `control session ${id} (no watcher) was not ended stale within ${timeoutMs} ms (shows ${last || "nothing"}): the reaper is not judging silence, so "never ended" proves nothing`,
  );
}
