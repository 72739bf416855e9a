/**
 * Pulse issue 10, item 4: the cost of a read is bounded by its limits, not by the data. On a database
 * with many events (PULSE_COST_EVENTS, default 100,000, seeded with one INSERT … SELECT
 * generate_series), the largest `hours`/`buckets`/`days` and the heaviest filters each answer within
 * a generous bound, and six callers asking for timelines with ever new `hours` (no cache can help)
 * do not stall the agents' POSTs. The figures are printed for the issue's note.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client } from "pg";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";

const EVENTS = Number(process.env.PULSE_COST_EVENTS ?? 100_000);
const PER_SESSION = 50;
const SESSIONS = Math.ceil(EVENTS / PER_SESSION);
/** Every read below answers within this on this 2-core machine (the issue saw 3–24 s). */
const READ_BOUND_MS = 5_000;

let stack: TestStack;
let api: ReturnType<typeof client>;
const figures: string[] = [];

beforeAll(async () => {
  stack = await startStack({ label: "statscost", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
  api = client(stack.url);
  const db = new Client({ connectionString: stack.env.databaseUrl });
  await db.connect();
  const started = performance.now();
  try {
    // Sessions spread over the last 31 days, two hours each, a third still open; 50 events each, one
    // in seven telemetry, one in ten reporting cost and tokens.
    await db.query(
      `INSERT INTO sessions (id, source, project, cwd, status, end_reason, started_at, last_event_at, status_at, ended_at, event_count, has_status_signal)
       SELECT 'cost-' || i, 'claude-code', 'project-' || (i % 25), '/home/dev/project-' || (i % 25),
              CASE WHEN i % 3 = 0 THEN 'active' ELSE 'ended' END, CASE WHEN i % 3 = 0 THEN NULL ELSE 'session_end' END,
              t.start, t.start + interval '2 hours', t.start + interval '2 hours', CASE WHEN i % 3 = 0 THEN NULL ELSE t.start + interval '2 hours' END, $2, true
       FROM generate_series(1, $1::int) AS i, LATERAL (SELECT now() - interval '31 days' + (i * (interval '31 days' / $1::int)) AS start) AS t`,
      [SESSIONS, PER_SESSION],
    );
    await db.query(
      `INSERT INTO events (session_id, key, source, kind, signal, time, received_at, cost_micros, input_tokens, output_tokens)
       SELECT 'cost-' || i, 'k-' || n, 'claude-code', (ARRAY['prompt','tool','tool','activity','turn_end','attention'])[1 + n % 6],
              CASE WHEN n % 7 = 3 THEN 'telemetry' ELSE 'status' END, t.at, t.at,
              CASE WHEN n % 10 = 5 THEN 1500 END, CASE WHEN n % 10 = 5 THEN 1000 END, CASE WHEN n % 10 = 5 THEN 200 END
       FROM generate_series(1, $1::int) AS i, generate_series(0, $2::int - 1) AS n,
            LATERAL (SELECT now() - interval '31 days' + (i * (interval '31 days' / $1::int)) + n * (interval '2 hours' / $2::int) AS at) AS t`,
      [SESSIONS, PER_SESSION],
    );
    await db.query("ANALYZE sessions; ANALYZE events");
    const { rows } = await db.query(
      "SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM sessions)::int AS sessions",
    );
    figures.push(
      `seeded ${rows[0].events} events in ${rows[0].sessions} sessions over 31 days in ${Math.round(performance.now() - started)} ms`,
    );
  } finally {
    await db.end();
  }
}, 120_000);
afterAll(async () => {
  process.stdout.write(`stats cost (PULSE_COST_EVENTS=${EVENTS}):\n${figures.join("\n")}\n`);
  await stack?.stop();
});

async function timed(path: string): Promise<{ status: number; ms: number; body: any }> {
  const started = performance.now();
  const reply = await api.get(path);
  return { status: reply.status, ms: performance.now() - started, body: reply.body };
}

const quantile = (values: number[], q: number) =>
  values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];

describe("reads at their limits on a large database", () => {
  it.each([
    [
      "/v1/stats/timeline?hours=744&buckets=1000",
      (b: any) => b.points.length === 1000 && b.points.some((p: any) => p.working + p.waiting > 0),
    ],
    ["/v1/stats/timeline?hours=744&buckets=2", (b: any) => b.points.length === 2],
    ["/v1/stats/timeline?hours=24&buckets=1000", (b: any) => b.points.length === 1000],
    ["/v1/stats/timeline", (b: any) => b.points.length === 96],
    [
      "/v1/stats/daily?days=366",
      (b: any) => b.days.length === 366 && b.days.reduce((n: number, d: any) => n + d.sessions, 0) === SESSIONS,
    ],
    ["/v1/stats/daily?days=366&tz=Pacific/Kiritimati", (b: any) => b.days.length === 366],
    ["/v1/stats/cost-by-project?days=366&tz=Europe/Paris", (b: any) => b.days.length > 0],
    ["/v1/stats?since=2000-01-01T00:00:00Z", (b: any) => b.since.ended > 0],
    ["/v1/sessions?limit=500", (b: any) => b.items.length === 500],
    [`/v1/sessions?limit=500&q=${encodeURIComponent("%_".repeat(100))}`, (b: any) => Array.isArray(b.items)],
    ["/v1/sessions?limit=500&status=active,waiting&q=project-1", (b: any) => b.items.length > 0],
    ["/v1/facets", (b: any) => b.projects.length === 25],
  ])(
    "GET %s answers within the bound",
    async (path, expected) => {
      const reply = await timed(path);
      figures.push(`${path.slice(0, 70).padEnd(70)} ${reply.status} in ${Math.round(reply.ms)} ms`);
      expect([path, reply.status]).toEqual([path, 200]);
      expect(reply.ms).toBeLessThan(READ_BOUND_MS);
      expect(expected(reply.body)).toBe(true);
    },
    30_000,
  );

  it("refuses values past the limits with 400 naming them", async () => {
    for (const path of [
      "/v1/stats/timeline?hours=745",
      "/v1/stats/timeline?buckets=1001",
      "/v1/stats/daily?days=367",
      "/v1/stats/cost-by-project?days=0",
      "/v1/sessions?limit=501",
    ]) {
      const reply = await api.get(path);
      expect([path, reply.status, typeof reply.body.message]).toEqual([path, 400, "string"]);
    }
  });
});

describe("timelines and POSTs at once", () => {
  it("six callers asking for ever new timelines do not stall POSTs", async () => {
    const post = async (n: number) => {
      const started = performance.now();
      const reply = await api.post("/v1/events", {
        session_id: `post-${n % 50}`,
        source: "test",
        kind: "tool",
        detail: `call ${n}`,
      });
      expect(reply.status).toBe(202);
      return performance.now() - started;
    };
    const posts = async (count: number, offset: number) => {
      const ms: number[] = [];
      for (let i = 0; i < count; i++) ms.push(await post(offset + i));
      return ms;
    };
    const before = await posts(200, 0);

    // Six callers, each asking again as soon as answered, each time for a window no one asked for.
    let stop = false;
    const answers: Record<number, number> = {};
    const timelineMs: number[] = [];
    let distinct = 0;
    const caller = async (k: number) => {
      while (!stop) {
        const hours = 744 - k - (distinct++ % 500) / 1000;
        const reply = await timed(`/v1/stats/timeline?hours=${hours}&buckets=1000`);
        answers[reply.status] = (answers[reply.status] ?? 0) + 1;
        if (reply.status === 200) timelineMs.push(reply.ms);
        // A refusal says when to retry; a polite caller waits that long.
        if (reply.status === 429) await new Promise((r) => setTimeout(r, 200));
      }
    };
    const callers = Array.from({ length: 6 }, (_, k) => caller(k));
    await new Promise((r) => setTimeout(r, 300));
    // Ingest runs in this process: its event loop's stalls are this loop's.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const during = await posts(200, 200);
    loop.disable();
    stop = true;
    await Promise.all(callers);

    const p50Before = quantile(before, 0.5);
    const p50During = quantile(during, 0.5);
    figures.push(
      `POST /v1/events p50 ${p50Before.toFixed(1)} ms (p99 ${quantile(before, 0.99).toFixed(1)}) alone → p50 ${p50During.toFixed(1)} ms (p99 ${quantile(during, 0.99).toFixed(1)}) during 6 timeline callers; ` +
        `timeline answers ${JSON.stringify(answers)}, each ${timelineMs.length ? `p50 ${Math.round(quantile(timelineMs, 0.5))} ms, max ${Math.round(Math.max(...timelineMs))} ms` : "none"}; ` +
        `event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
    // Timelines answered, or were refused with a 4xx; never a 5xx.
    expect(Object.keys(answers).every((status) => status === "200" || status === "429")).toBe(true);
    expect(answers[200]).toBeGreaterThan(0);
    // Generous: the issue saw 1.9 s; a POST must stay an agent-friendly few tens of ms.
    expect(p50During).toBeLessThan(100);
  }, 120_000);
});
