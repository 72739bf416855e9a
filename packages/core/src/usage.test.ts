import { NO_USAGE } from "./event";
import { applyEvent, type LifecycleEvent, newSession } from "./lifecycle";
import { toSessionJson } from "./session-json";

const T = Date.UTC(2026, 10, 21, 10, 0, 0);
const ev = (seconds: number, usage: LifecycleEvent["usage"]): LifecycleEvent => ({
  kind: "activity",
  time: T + seconds * 1000,
  source: "x",
  cwd: null,
  project: null,
  host: null,
  detail: null,
  waitingReason: null,
  endReason: null,
  endDetail: null,
  usage,
});

describe("usage sums", () => {
  it("adds tokens and cost exactly, keeps the newest model by event time, counts errors", () => {
    const events = [
      ev(2, {
        ...NO_USAGE,
        input_tokens: 1204,
        output_tokens: 655,
        cache_read_tokens: 18250,
        cache_creation_tokens: 2210,
        cost_usd: 0.0421,
        model: "claude-sonnet-4-5",
      }),
      ev(1, { ...NO_USAGE, input_tokens: 10, output_tokens: 5, cost_usd: 0.1, model: "claude-haiku" }),
      ev(3, { ...NO_USAGE, api_error: true }),
      // 0.1 + 0.2 is not 0.3 in floating point; in millionths of a dollar it is.
      ev(4, { ...NO_USAGE, cost_usd: 0.2 }),
    ];
    const session = events.reduce(applyEvent, newSession("s", "x"));
    expect(toSessionJson(session)).toMatchObject({
      input_tokens: 1214,
      output_tokens: 660,
      cache_read_tokens: 18250,
      cache_creation_tokens: 2210,
      cost_usd: 0.3421,
      model: "claude-sonnet-4-5",
      api_errors: 1,
    });
  });

  it("counts tool calls seen by hooks and by OpenTelemetry once (the larger count), not twice", () => {
    const hook = { ...NO_USAGE, tool_call: "hook" as const };
    const otel = { ...NO_USAGE, tool_call: "otel" as const };
    const session = [ev(1, hook), ev(2, otel), ev(3, hook), ev(4, otel), ev(5, hook)].reduce(
      applyEvent,
      newSession("s", "x"),
    );
    expect(toSessionJson(session).tool_calls).toBe(3);
  });

  it("counts usage even from an event that changes no status (older than the end)", () => {
    const ended = applyEvent(newSession("s", "x"), { ...ev(10, null), kind: "end", endReason: "session_end" });
    const late = applyEvent(ended, ev(5, { ...NO_USAGE, cost_usd: 0.5 }));
    expect(late).toMatchObject({ status: "ended", costMicros: 500_000 });
  });
});
