import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { Registry } from "prom-client";
import { backendMetrics, type BackendReadings } from "./backend-metrics";

const NOW = Date.parse("2026-12-02T12:00:00Z");
const NONE: BackendReadings = { open: null, ended: null, notifications: null, queues: null, reaper: null };

async function scrape(readings: BackendReadings) {
  const registry = new Registry();
  const metrics = backendMetrics(registry);
  metrics.fill(readings, NOW);
  return { registry, metrics, families: parsePrometheusTextFormat(await registry.metrics()) };
}

/** The samples of one metric as `{labels as JSON: value}` (`{}`: none, the metric is absent). */
function samples(families: ReturnType<typeof parsePrometheusTextFormat>, name: string): Record<string, number> {
  const family = families.find((f) => f.name === name);
  return Object.fromEntries((family?.metrics ?? []).map((m) => [JSON.stringify(m.labels ?? {}), Number(m.value)]));
}

it("open sessions: by status and capped agent, waits by reason with the oldest of each, needs-you, zeros for the known labels", async () => {
  const { families } = await scrape({
    ...NONE,
    open: [
      { status: "active", agent: "claude-code", reason: null, count: 3, oldestWaitMs: null },
      { status: "waiting", agent: "claude-code", reason: "permission", count: 2, oldestWaitMs: NOW - 90_000 },
      { status: "waiting", agent: "codex", reason: "permission", count: 1, oldestWaitMs: NOW - 30_000 },
      { status: "waiting", agent: "codex", reason: "turn_end", count: 4, oldestWaitMs: NOW - 5_000 },
      { status: "waiting", agent: "my-bot", reason: "made-up", count: 1, oldestWaitMs: NOW - 1_000 },
    ],
  });
  const sessions = samples(families, "pulse_sessions");
  expect(sessions['{"status":"active","agent":"claude-code"}']).toBe(3);
  expect(sessions['{"status":"waiting","agent":"claude-code"}']).toBe(2);
  expect(sessions['{"status":"waiting","agent":"codex"}']).toBe(5);
  expect(sessions['{"status":"waiting","agent":"my-bot"}']).toBe(1);
  expect(sessions['{"status":"active","agent":"gemini"}']).toBe(0);
  const waiting = samples(families, "pulse_waiting_sessions");
  expect(waiting).toMatchObject({
    '{"reason":"permission"}': 3,
    '{"reason":"turn_end"}': 4,
    '{"reason":"other"}': 1,
    '{"reason":"question"}': 0,
  });
  expect(samples(families, "pulse_waiting_oldest_seconds")).toMatchObject({
    '{"reason":"permission"}': 90,
    '{"reason":"turn_end"}': 5,
    '{"reason":"question"}': 0,
  });
  // permission needs the user; a finished turn and an unknown reason do not.
  expect(samples(families, "pulse_needs_you_sessions")).toEqual({ "{}": 3 });
  const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
  expect(types).toMatchObject({ pulse_sessions: "GAUGE", pulse_reaper_sweeps_total: "COUNTER" });
});

it("a part that could not be read leaves its metrics absent, and the next fill replaces the previous one whole", async () => {
  const { registry, metrics, families } = await scrape({
    ...NONE,
    queues: [
      {
        queue: "events",
        counts: { waiting: 2, active: 1, delayed: 0, failed: 5 },
        oldestWaitingAt: NOW - 12_500,
      },
    ],
    reaper: { sweeps: new Map([["swept", 4]]), endedStale: 9 },
  });
  expect(samples(families, "pulse_queue_jobs")).toEqual({
    '{"queue":"events","state":"waiting"}': 2,
    '{"queue":"events","state":"active"}': 1,
    '{"queue":"events","state":"delayed"}': 0,
    '{"queue":"events","state":"failed"}': 5,
  });
  expect(samples(families, "pulse_queue_oldest_waiting_seconds")).toEqual({ '{"queue":"events"}': 12.5 });
  expect(samples(families, "pulse_reaper_ended_stale_total")).toEqual({ "{}": 9 });
  expect(samples(families, "pulse_sessions")).toEqual({});

  metrics.fill({ ...NONE, reaper: { sweeps: new Map([["swept", 6]]), endedStale: 10 } }, NOW);
  const next = parsePrometheusTextFormat(await registry.metrics());
  expect(samples(next, "pulse_queue_jobs")).toEqual({});
  expect(samples(next, "pulse_reaper_sweeps_total")).toEqual({ '{"result":"swept"}': 6 });
  expect(samples(next, "pulse_reaper_ended_stale_total")).toEqual({ "{}": 10 });
});

it("ended sessions by capped agent and end reason; deliveries by status and channel type; channels and failing ones", async () => {
  const { families } = await scrape({
    ...NONE,
    ended: [
      { agent: "gemini", endReason: "stale", count: 2 },
      { agent: "gemini", endReason: null, count: 1 },
    ],
    notifications: {
      deliveries: [
        { status: "delivered", channelType: "slack", count: 7 },
        { status: "failed", channelType: "slack", count: 2 },
        { status: "weird", channelType: "pigeon", count: 1 },
      ],
      channels: [{ channelType: "slack", enabled: 2, failing: 1 }],
    },
  });
  expect(samples(families, "pulse_sessions_ended_24h")).toEqual({
    '{"agent":"gemini","end_reason":"stale"}': 2,
    '{"agent":"gemini","end_reason":"other"}': 1,
  });
  expect(samples(families, "pulse_notification_deliveries")).toEqual({
    '{"status":"delivered","channel_type":"slack"}': 7,
    '{"status":"failed","channel_type":"slack"}': 2,
    '{"status":"other","channel_type":"other"}': 1,
  });
  expect(samples(families, "pulse_notification_channels_failing")).toMatchObject({
    '{"channel_type":"slack"}': 1,
    '{"channel_type":"ntfy"}': 0,
  });
  expect(samples(families, "pulse_notification_channels")).toMatchObject({ '{"channel_type":"slack"}': 2 });
});
