/**
 * Pulse issue 12, `GET /metrics`: what a Prometheus server scraping ingest reads, parsed with a
 * Prometheus text-format parser (not a regex), against the real stack: events posted over HTTP and
 * applied by the real workers, the real reaper's sweeps, the real queues, and backends that are
 * unreachable or killed.
 */
import { createPrismaClient, type PrismaClient } from "@pulse/db";
import { QUEUE_NAMES } from "@pulse/queues";
import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";
import { freePort, waitFor } from "../../../test/env";
import { startOwnRedis, type OwnRedis } from "../../../test/faults/own-services";
import { client } from "../../../test/http";
import { rawRequest } from "../../../test/raw-http";
import { startStack, type TestStack } from "../../../test/stack";

const TOKEN = "metrics-token-value";
const MIN = 60_000;

interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
  families: PrometheusFamily[];
  ms: number;
}

async function scrape(url: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const started = performance.now();
  const response = await fetch(`${url}/metrics`, { headers });
  const text = await response.text();
  const ms = performance.now() - started;
  const families = response.status === 200 ? parsePrometheusTextFormat(text) : [];
  return { status: response.status, contentType: response.headers.get("content-type"), text, families, ms } as Scrape;
}

/** The value of the one sample of `name` whose labels are exactly `labels`; undefined when there is none. */
function value(s: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = s.families.find((f) => f.name === name);
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const sample = family?.metrics.find((m) => JSON.stringify(Object.entries(m.labels ?? {}).sort()) === wanted);
  return sample?.value === undefined ? undefined : Number(sample.value);
}

const labelValues = (s: Scrape, name: string, label: string) =>
  new Set(s.families.find((f) => f.name === name)?.metrics.map((m) => m.labels?.[label]));

describe("a running stack with sessions in every state", () => {
  let stack: TestStack;
  let prisma: PrismaClient;
  const api = () => client(stack.url, { authorization: `Bearer ${TOKEN}` });
  const t0 = Date.now();
  const at = (offsetMs: number) => new Date(t0 + offsetMs).toISOString();
  const CUSTOM_AGENTS = Array.from({ length: 12 }, (_, i) => `bot-${String(i).padStart(2, "0")}`);

  beforeAll(async () => {
    stack = await startStack({
      label: "metrics",
      env: { PULSE_TOKEN: TOKEN, SESSION_STALE_TIMEOUT_MINUTES: "60", REAPER_INTERVAL_SECONDS: "1" },
      // Up for longer than the stale timeout: the reaper judges silence (lifecycle rule 9).
      ingestUpSince: t0 - 3 * 60 * MIN,
    });
    prisma = createPrismaClient(stack.env.databaseUrl);
    const events = [
      { session_id: "work-cc", source: "claude-code", kind: "prompt", time: at(-5_000) },
      { session_id: "work-codex", source: "codex", kind: "prompt", time: at(-5_000) },
      { session_id: "perm", source: "claude-code", kind: "prompt", time: at(-40_000) },
      {
        session_id: "perm",
        source: "claude-code",
        kind: "attention",
        waiting_reason: "permission",
        tool: "Bash",
        time: at(-30_000),
      },
      { session_id: "ask", source: "codex", kind: "prompt", time: at(-20_000) },
      { session_id: "ask", source: "codex", kind: "attention", waiting_reason: "question", time: at(-10_000) },
      { session_id: "done-turn", source: "gemini", kind: "prompt", time: at(-8_000) },
      { session_id: "done-turn", source: "gemini", kind: "turn_end", time: at(-7_000) },
      { session_id: "ended", source: "claude-code", kind: "prompt", time: at(-9_000) },
      { session_id: "ended", source: "claude-code", kind: "end", end_reason: "session_end", time: at(-8_000) },
      // Silent for two hours with a 60-minute timeout: the reaper ends it stale.
      { session_id: "silent", source: "gemini", kind: "prompt", time: at(-120 * MIN) },
      ...CUSTOM_AGENTS.map((source) => ({ session_id: `s-${source}`, source, kind: "prompt", time: at(-3_000) })),
    ];
    expect((await api().post("/v1/events", events)).status).toBe(202);
    await waitFor(
      async () => {
        const silent = await api().get("/v1/sessions/silent");
        const last = await api().get(`/v1/sessions/s-${CUSTOM_AGENTS.at(-1)}`);
        return silent.body?.end_reason === "stale" && last.status === 200;
      },
      { what: "the events applied and the silent session ended stale", timeoutMs: 20_000 },
    );
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await stack?.stop();
  });

  it("needs the token (401 without it or with a wrong one), and answers the Prometheus text format with HELP and TYPE", async () => {
    expect((await scrape(stack.url, {})).status).toBe(401);
    expect((await scrape(stack.url, { authorization: "Bearer not-the-token" })).status).toBe(401);
    const s = await scrape(stack.url);
    expect(s.status).toBe(200);
    expect(s.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const ours = s.families.filter((f) => f.name.startsWith("pulse_"));
    expect(ours.length).toBeGreaterThan(15);
    for (const family of ours) {
      expect([family.name, family.help.length > 10]).toEqual([family.name, true]);
      expect(["GAUGE", "COUNTER"]).toContain(family.type);
      // Counters end in _total, gauges do not (Prometheus' naming rule).
      expect([family.name, family.name.endsWith("_total")]).toEqual([family.name, family.type === "COUNTER"]);
    }
    // Node's own metrics under their usual names.
    expect(value(s, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    for (const part of ["sessions", "notifications", "queues", "reaper"])
      expect([part, value(s, "pulse_scrape_up", { part })]).toEqual([part, 1]);
  });

  it("open sessions by status and agent, waits by reason with the oldest, needs-you, ended in the last 24 h", async () => {
    const s = await scrape(stack.url);
    expect(value(s, "pulse_sessions", { status: "active", agent: "claude-code" })).toBe(1);
    expect(value(s, "pulse_sessions", { status: "active", agent: "codex" })).toBe(1);
    expect(value(s, "pulse_sessions", { status: "waiting", agent: "claude-code" })).toBe(1);
    expect(value(s, "pulse_sessions", { status: "waiting", agent: "codex" })).toBe(1);
    expect(value(s, "pulse_sessions", { status: "waiting", agent: "gemini" })).toBe(1);
    expect(value(s, "pulse_sessions", { status: "active", agent: "gemini" })).toBe(0);
    expect(value(s, "pulse_waiting_sessions", { reason: "permission" })).toBe(1);
    expect(value(s, "pulse_waiting_sessions", { reason: "question" })).toBe(1);
    expect(value(s, "pulse_waiting_sessions", { reason: "turn_end" })).toBe(1);
    expect(value(s, "pulse_waiting_sessions", { reason: "error" })).toBe(0);
    expect(value(s, "pulse_needs_you_sessions")).toBe(2);
    // The permission wait began 30 s before t0 (its event time), whenever it was applied.
    const elapsed = (Date.now() - t0) / 1000;
    expect(value(s, "pulse_waiting_oldest_seconds", { reason: "permission" })).toBeGreaterThanOrEqual(30);
    expect(value(s, "pulse_waiting_oldest_seconds", { reason: "permission" })).toBeLessThanOrEqual(30 + elapsed + 1);
    expect(value(s, "pulse_sessions_ended_24h", { agent: "claude-code", end_reason: "session_end" })).toBe(1);
    expect(value(s, "pulse_sessions_ended_24h", { agent: "gemini", end_reason: "stale" })).toBe(1);
  });

  it("keeps the agent label bounded: the 10 most frequent unknown agents, the rest as other", async () => {
    const s = await scrape(stack.url);
    const agents = labelValues(s, "pulse_sessions", "agent");
    // All twelve have one session: ties go by name, so bot-10 and bot-11 are folded.
    for (const bot of CUSTOM_AGENTS.slice(0, 10)) expect([bot, agents.has(bot)]).toEqual([bot, true]);
    expect(agents.has("bot-10")).toBe(false);
    expect(value(s, "pulse_sessions", { status: "active", agent: "other" })).toBe(2);
    expect(s.text).not.toContain("s-bot-");
  });

  it("counts refused requests by route and status, and accepted requests and events, in this process", async () => {
    const before = await scrape(stack.url);
    const refused = (s: Scrape, method: string, route: string, status: string) =>
      value(s, "pulse_ingest_refused_requests_total", { method, route, status }) ?? 0;
    const accepted = (s: Scrape) => value(s, "pulse_ingest_accepted_requests_total", { route: "/v1/events" }) ?? 0;
    const events = (s: Scrape) => value(s, "pulse_ingest_accepted_events_total") ?? 0;

    expect((await api().post("/v1/events", { session_id: "x", source: "test", kind: "not-a-kind" })).status).toBe(400);
    expect((await api().get("/v1/sessions/never-seen")).status).toBe(404);
    expect((await scrape(stack.url, {})).status).toBe(401);
    expect((await client(stack.url).get("/nowhere")).status).toBe(401);
    const batch = ["a", "b", "c"].map((id) => ({ session_id: `acc-${id}`, source: "test", kind: "prompt" }));
    expect((await api().post("/v1/events", batch)).status).toBe(202);

    const after = await scrape(stack.url);
    expect(refused(after, "POST", "/v1/events", "400") - refused(before, "POST", "/v1/events", "400")).toBe(1);
    expect(refused(after, "GET", "/v1/sessions/:id", "404") - refused(before, "GET", "/v1/sessions/:id", "404")).toBe(
      1,
    );
    expect(refused(after, "GET", "/metrics", "401") - refused(before, "GET", "/metrics", "401")).toBe(1);
    // An unknown path is one label, whatever the path: never the path itself.
    expect(refused(after, "GET", "unmatched", "401") - refused(before, "GET", "unmatched", "401")).toBe(1);
    expect(after.text).not.toContain("/nowhere");
    expect(accepted(after) - accepted(before)).toBe(1);
    expect(events(after) - events(before)).toBe(3);
  });

  it("reports the reaper's sweeps and stale ends, counted by the reaper process in Redis", async () => {
    const first = await scrape(stack.url);
    expect(value(first, "pulse_reaper_ended_stale_total")).toBe(1);
    const swept = value(first, "pulse_reaper_sweeps_total", { result: "swept" }) ?? 0;
    expect(swept).toBeGreaterThanOrEqual(1);
    // A sweep every second: the counter goes on.
    await waitFor(
      async () => (value(await scrape(stack.url), "pulse_reaper_sweeps_total", { result: "swept" }) ?? 0) > swept,
      { what: "another sweep counted" },
    );
  });

  it("answers a Prometheus on another host, whatever Host it sends, given the token", async () => {
    const reply = await rawRequest(stack.url, {
      target: "/metrics",
      headers: { host: "pulse.example:6820", authorization: `Bearer ${TOKEN}` },
    });
    expect(reply.status).toBe(200);
    expect(parsePrometheusTextFormat(reply.body).some((f) => f.name === "pulse_sessions")).toBe(true);
  });

  it("reports each queue's jobs by state", async () => {
    const s = await scrape(stack.url);
    for (const queue of Object.values(QUEUE_NAMES))
      for (const state of ["waiting", "active", "delayed", "failed"])
        expect([queue, state, typeof value(s, "pulse_queue_jobs", { queue, state })]).toEqual([queue, state, "number"]);
    expect(labelValues(s, "pulse_queue_oldest_waiting_seconds", "queue")).toEqual(new Set(Object.values(QUEUE_NAMES)));
  });

  it("reports notification deliveries by status and channel type, and channels that are failing", async () => {
    // The deliveries are the notifications worker's to write; here they are put in its tables as it does.
    await prisma.$executeRaw`
      INSERT INTO notification_channels (id, name, type, url, failing_since, updated_at)
      VALUES ('ch-slack', 'team', 'slack', 'https://hooks.slack.example/x', now(), now()),
             ('ch-ntfy', 'phone', 'ntfy', 'https://ntfy.example/t', NULL, now())`;
    await prisma.$executeRaw`
      INSERT INTO notification_deliveries (id, channel_id, session_id, type, wait_start, status, updated_at)
      VALUES ('d1', 'ch-slack', 'perm', 'waiting', now() - interval '1 minute', 'failed', now()),
             ('d2', 'ch-ntfy', 'perm', 'waiting', now() - interval '1 minute', 'delivered', now()),
             ('d3', 'ch-ntfy', 'ask', 'waiting', now() - interval '2 minutes', 'delivered', now()),
             ('d4', 'ch-ntfy', 'ask', 'resolved', now() - interval '2 minutes', 'pending', now())`;
    const s = await scrape(stack.url);
    expect(value(s, "pulse_notification_deliveries", { status: "failed", channel_type: "slack" })).toBe(1);
    expect(value(s, "pulse_notification_deliveries", { status: "delivered", channel_type: "ntfy" })).toBe(2);
    expect(value(s, "pulse_notification_deliveries", { status: "pending", channel_type: "ntfy" })).toBe(1);
    expect(value(s, "pulse_notification_channels", { channel_type: "ntfy" })).toBe(1);
    expect(value(s, "pulse_notification_channels_failing", { channel_type: "slack" })).toBe(1);
    expect(value(s, "pulse_notification_channels_failing", { channel_type: "ntfy" })).toBe(0);
  });
});

describe("queues with no worker, and no token", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      label: "metricsq",
      workers: false,
      env: { PULSE_ALLOWED_HOSTS: "pulse.lan", REAPER_INTERVAL_SECONDS: "1" },
    });
  });
  afterAll(() => stack?.stop());

  it("shows the waiting event jobs and how long the oldest has waited", async () => {
    const post = async (id: string) =>
      expect(
        (await client(stack.url).post("/v1/events", { session_id: id, source: "test", kind: "prompt" })).status,
      ).toBe(202);
    await post("q1");
    await new Promise((r) => setTimeout(r, 1_100));
    // A newer job behind it: the age is the oldest's, not the newest's.
    await post("q2");
    const s = await scrape(stack.url, {});
    expect(value(s, "pulse_queue_jobs", { queue: "events", state: "waiting" })).toBe(2);
    expect(value(s, "pulse_queue_oldest_waiting_seconds", { queue: "events" })).toBeGreaterThanOrEqual(1);
    expect(value(s, "pulse_queue_oldest_waiting_seconds", { queue: "reaper" })).toBe(0);
  });

  it("counts a sweep that judged nothing with why: this ingest has been up for less than the stale timeout", async () => {
    await stack.startWorkers();
    await waitFor(
      async () =>
        (value(await scrape(stack.url, {}), "pulse_reaper_sweeps_total", { result: "ingest_just_up" }) ?? 0) >= 1,
      {
        what: "the boot sweep counted as skipped",
      },
    );
    const s = await scrape(stack.url, {});
    expect(value(s, "pulse_reaper_sweeps_total", { result: "swept" })).toBe(0);
    expect(value(s, "pulse_reaper_ended_stale_total")).toBe(0);
  });

  it("without a token, answers a Prometheus only under a Host name PULSE_ALLOWED_HOSTS lists", async () => {
    expect((await rawRequest(stack.url, { target: "/metrics", headers: { host: "pulse.lan:6820" } })).status).toBe(200);
    const other = await rawRequest(stack.url, { target: "/metrics", headers: { host: "10.1.2.3:6820" } });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body).error).toBe("host_not_allowed");
  });
});

describe("backends down", () => {
  let stack: TestStack;
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis();
    // Nothing listens there: Postgres is unreachable from the start.
    const deadPostgres = `postgresql://postgres@127.0.0.1:${await freePort()}/pulse`;
    stack = await startStack({
      label: "metricsdown",
      workers: false,
      env: { REDIS_URL: redis.url, DATABASE_URL: deadPostgres },
    });
  });
  afterAll(async () => {
    // Back before the stack stops: BullMQ's queues close cleanly only on a connection that answers.
    await redis?.restart();
    await stack?.stop();
    await redis?.destroy();
  });

  it("still answers 200, with what it could read and which parts it could not", async () => {
    const withRedis = await scrape(stack.url, {});
    expect(withRedis.status).toBe(200);
    expect(value(withRedis, "pulse_scrape_up", { part: "sessions" })).toBe(0);
    expect(value(withRedis, "pulse_scrape_up", { part: "notifications" })).toBe(0);
    expect(value(withRedis, "pulse_scrape_up", { part: "queues" })).toBe(1);
    expect(value(withRedis, "pulse_queue_jobs", { queue: "events", state: "waiting" })).toBe(0);
    // What could not be read is absent, not 0.
    expect(labelValues(withRedis, "pulse_sessions", "status").size).toBe(0);

    await redis.kill9();
    const without = await scrape(stack.url, {});
    expect(without.status).toBe(200);
    for (const part of ["sessions", "notifications", "queues", "reaper"])
      expect([part, value(without, "pulse_scrape_up", { part })]).toEqual([part, 0]);
    expect(labelValues(without, "pulse_queue_jobs", "queue").size).toBe(0);
    expect(value(without, "pulse_scrape_errors_total", { part: "queues" })).toBeGreaterThanOrEqual(1);
    // This process' own counters and Node's metrics are still there.
    expect(value(without, "pulse_ingest_accepted_events_total")).toBe(0);
    expect(value(without, "process_resident_memory_bytes")).toBeGreaterThan(0);
    // Bounded: well within Prometheus' default scrape timeout (10 s).
    expect(without.ms).toBeLessThan(10_000);
  });
});
