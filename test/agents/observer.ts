import type { SessionJson } from "../../packages/core/src/session-json";

/** A state to wait for. `waitingReason` may list the reasons that count (e.g. what a denial may be called). */
export interface ExpectedState {
  status?: SessionJson["status"];
  waitingReason?: string | string[] | null;
  endReason?: string | string[];
}

/** One state Pulse showed for a session, and the first poll that saw it. */
export interface SeenState {
  at: number;
  session: SessionJson;
}

const matchesOne = (want: string | string[] | null | undefined, got: string | null): boolean =>
  want === undefined || (Array.isArray(want) ? want.includes(got ?? "") : want === got);

export function matchesState(session: SessionJson, want: ExpectedState): boolean {
  return (
    (want.status === undefined || session.status === want.status) &&
    matchesOne(want.waitingReason, session.waiting_reason) &&
    matchesOne(want.endReason, session.end_reason)
  );
}

export const describeState = (s: Pick<SessionJson, "status" | "waiting_reason" | "end_reason">): string =>
  [s.status, s.waiting_reason, s.end_reason].filter(Boolean).join("·");

/**
 * What Pulse shows for one user's sessions, black-box: polls `GET /v1/sessions` every `intervalMs`
 * (the API the dashboard and CLI read) and keeps, per session, each distinct state with the moment
 * it was first seen. Tests wait on it ("first seen waiting·permission after the dialog opened") and
 * measure trigger → state latencies; the poll interval bounds their resolution.
 */
export class PulseObserver {
  private readonly history = new Map<string, SeenState[]>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lastError: Error | null = null;

  constructor(
    readonly url: string,
    readonly filter: { source: string; cwd: string },
    readonly options: { intervalMs?: number; token?: string } = {},
  ) {}

  start(): this {
    if (this.timer) return this;
    const tick = () => {
      this.polling = this.poll().finally(() => {
        this.polling = null;
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 50);
      });
    };
    this.timer = setTimeout(tick, 0);
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** The user's sessions as Pulse shows them now (fetched, not from history). */
  async sessions(): Promise<SessionJson[]> {
    const headers: Record<string, string> = this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
    const response = await fetch(`${this.url}/v1/sessions?source=${encodeURIComponent(this.filter.source)}&limit=200`, {
      headers,
    });
    if (!response.ok) throw new Error(`GET /v1/sessions answered ${response.status}`);
    const body = (await response.json()) as { items: SessionJson[] };
    return body.items.filter((s) => s.cwd === this.filter.cwd);
  }

  private async poll(): Promise<void> {
    const at = Date.now();
    let sessions: SessionJson[];
    try {
      sessions = await this.sessions();
      this.lastError = null;
    } catch (error) {
      // ingest down or restarting in a test: keep polling
      this.lastError = error as Error;
      return;
    }
    for (const session of sessions) {
      const states = this.history.get(session.id) ?? [];
      const last = states[states.length - 1];
      if (
        !last ||
        describeState(last.session) !== describeState(session) ||
        last.session.reopen_count !== session.reopen_count
      )
        states.push({ at, session });
      else last.session = { ...session };
      this.history.set(session.id, states);
    }
  }

  /** Every session id seen so far, oldest first. */
  ids(): string[] {
    return [...this.history.entries()].sort((a, b) => a[1][0].at - b[1][0].at).map(([id]) => id);
  }

  /** The states a session went through, in order. */
  statesOf(id: string): SeenState[] {
    return this.history.get(id) ?? [];
  }

  /** The newest view of a session. */
  latest(id: string): SessionJson | undefined {
    const states = this.statesOf(id);
    return states[states.length - 1]?.session;
  }

  /** One line per state change, for failure messages: "+0.00s active, +1.23s waiting·permission". */
  timeline(id: string, since = this.statesOf(id)[0]?.at ?? 0): string {
    return this.statesOf(id)
      .map(
        (s) =>
          `${((s.at - since) / 1000).toFixed(2)}s ${describeState(s.session)}${s.session.reopen_count ? ` (reopened ${s.session.reopen_count})` : ""}`,
      )
      .join(", ");
  }

  /** Waits for the first session of this user that `where` accepts (default: any). */
  async waitForSession(
    options: { timeoutMs?: number; where?: (session: SessionJson) => boolean } = {},
  ): Promise<SessionJson> {
    const { timeoutMs = 15_000, where = () => true } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const id of this.ids()) {
        const s = this.latest(id)!;
        if (where(s)) return s;
      }
      if (Date.now() > deadline)
        throw new Error(
          `no ${this.filter.source} session for ${this.filter.cwd} after ${timeoutMs} ms${this.lastError ? ` (${this.lastError.message})` : ""}`,
        );
      await sleep(25);
    }
  }

  /**
   * Waits until the session shows `want` in a state first seen at or after `after`; returns that
   * state. Fails after `timeoutMs` naming what Pulse showed instead.
   */
  async waitForState(id: string, want: ExpectedState, { after = 0, timeoutMs = 10_000 } = {}): Promise<SeenState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.statesOf(id).find((s) => s.at >= after && matchesState(s.session, want));
      if (hit) return hit;
      // A state that began before `after` and still holds counts from `after`.
      const states = this.statesOf(id);
      const current = states[states.length - 1];
      if (current && current.at < after && matchesState(current.session, want) && Date.now() >= after)
        return { at: after, session: current.session };
      if (Date.now() > deadline) {
        throw new Error(
          `session ${id.slice(0, 8)}: not ${JSON.stringify(want)} within ${timeoutMs} ms; Pulse showed: ${this.timeline(id, after) || "nothing"}${this.lastError ? ` (last poll: ${this.lastError.message})` : ""}`,
        );
      }
      await sleep(20);
    }
  }

  /** The states the session showed from `after` on: the one current then, and every later one. */
  statesSince(id: string, after: number): SeenState[] {
    const states = this.statesOf(id);
    // The state current at `after` (the newest that began by then), and every later one.
    const current = states.filter((s) => s.at <= after).slice(-1);
    return [...current, ...states.filter((s) => s.at > after)];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
