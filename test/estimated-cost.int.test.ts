// What the list shows (issue 9, item 7), through the real ingest, workers and Postgres: Codex and
// Gemini CLI export tokens but no cost, and Pulse estimates one from the real OTLP bodies their
// binaries sent; the estimate reaches the session, the 24 h figures and the per-day and per-project
// series beside the reported cost, which stays 0. And "working now" counts only working sessions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildEvent, mapOtlpLogs, usdToMicros } from "@pulse/core";
import { waitFor } from "./env";
import { client } from "./http";
import { startStack, type TestStack } from "./stack";

const REAL = join(__dirname, "fixtures/real");
const MIN = 60_000;

let stack: TestStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startStack({ label: "estimate" });
  api = client(stack.url);
});
afterAll(() => stack?.stop());

/**
 * A real OTLP logs body with its session ids replaced and its records moved to `startMs` (keeping
 * their spacing), so the 24 h window and today's bar hold them whatever day the test runs.
 */
function realExport(file: string, sessions: Record<string, string>, startMs: number): { body: any; records: any[] } {
  let text = readFileSync(join(REAL, file), "utf8");
  for (const [from, to] of Object.entries(sessions)) text = text.replaceAll(from, to);
  const body = JSON.parse(text);
  const records = body.resourceLogs.flatMap((r: any) => r.scopeLogs.flatMap((s: any) => s.logRecords));
  const times = records
    .flatMap((r: any) => [r.timeUnixNano, r.observedTimeUnixNano])
    .filter((t: string) => t && t !== "0")
    .map(BigInt);
  const shift = BigInt(startMs) * 1_000_000n - times.reduce((a: bigint, b: bigint) => (b < a ? b : a));
  for (const r of records) {
    for (const field of ["timeUnixNano", "observedTimeUnixNano"])
      if (r[field] && r[field] !== "0") r[field] = String(BigInt(r[field]) + shift);
  }
  return { body, records };
}

/** What the estimate of an export should come to: each record's own estimate, in micros, summed. */
function expectedMicros(body: unknown): number {
  return mapOtlpLogs(body)
    .events.map((e, i) =>
      buildEvent(
        { session_id: e.sessionId, source: e.source },
        e.mapped,
        { key: `k${i}`, receivedMs: Date.now(), stampedMs: e.timeMs ?? undefined, host: null },
        e.raw,
      ),
    )
    .reduce((sum, e) => sum + (e.usage?.estimated_cost_usd ? usdToMicros(e.usage.estimated_cost_usd) : 0), 0);
}

const sessionOf = (id: string, check: (s: any) => boolean, what: string) =>
  waitFor(
    async () => {
      const reply = await api.get(`/v1/sessions/${encodeURIComponent(id)}`);
      return reply.status === 200 && check(reply.body) ? reply.body : undefined;
    },
    { what },
  );

const tz = "UTC";

describe("estimated cost from the real Codex 0.171 and Gemini CLI 0.61 exports", () => {
  it("lands on the session, in the 24 h figures and in the daily and per-project series, apart from cost_usd", async () => {
    const before = (await api.get("/v1/stats")).body;
    expect(before).toMatchObject({ cost_usd_24h: 0, estimated_cost_usd_24h: 0 });
    // A minute ago (well within the stale timeout), but never in the last minute of a UTC day (the
    // records would then span two days' bars).
    let start = Date.now() - MIN;
    if (start % (24 * 60 * MIN) > 24 * 60 * MIN - MIN) start -= 2 * MIN;
    const codex = realExport(
      "codex-0.171.0/otlp/body-00240-logs.json",
      { "01a2335f-bdbf-7423-900b-61b1c4e95aa6": "01a2335f-bdbf-7423-900b-61b1c4e9e571" },
      start,
    );
    const gemini = realExport(
      "gemini-0.61.0/otlp/body-00307-logs.json",
      { "76b58e23-6e97-4460-aeac-268703e063bc": "76b58e23-6e97-4460-aeac-2687e571e571" },
      start,
    );
    for (const { body } of [codex, gemini]) expect((await api.post("/v1/logs", body)).status).toBe(200);

    const codexMicros = expectedMicros(codex.body);
    const geminiMicros = expectedMicros(gemini.body);
    // The fixtures' own figures: two responses of 1200/40 and 1500/25 tokens; three of 100/10, 800/20, 900/30.
    expect(codexMicros).toBeGreaterThan(0);
    expect(geminiMicros).toBeGreaterThan(0);

    const c = await sessionOf(
      "01a2335f-bdbf-7423-900b-61b1c4e9e571",
      (s) => s.input_tokens === 2700,
      "the Codex session's tokens",
    );
    expect(c).toMatchObject({
      source: "codex",
      cost_usd: 0,
      output_tokens: 65,
      cache_read_tokens: 14,
      model: "gpt-5-codex",
    });
    expect(c.estimated_cost_usd).toBeCloseTo(codexMicros / 1e6, 9);
    const g = await sessionOf(
      "76b58e23-6e97-4460-aeac-2687e571e571",
      (s) => s.input_tokens === 1800,
      "the Gemini session's tokens",
    );
    expect(g).toMatchObject({ source: "gemini", cost_usd: 0, output_tokens: 60 });
    expect(g.estimated_cost_usd).toBeCloseTo(geminiMicros / 1e6, 9);

    // The same export again (an exporter's retry) is the same records: nothing counts twice.
    expect((await api.post("/v1/logs", codex.body)).status).toBe(200);

    const stats = (await api.get(`/v1/stats?since=${encodeURIComponent(new Date(start - MIN).toISOString())}`)).body;
    expect(stats.cost_usd_24h).toBe(0);
    expect(stats.estimated_cost_usd_24h).toBeCloseTo((codexMicros + geminiMicros) / 1e6, 9);
    expect(stats.since).toMatchObject({ cost_usd: 0 });
    expect(stats.since.estimated_cost_usd).toBeCloseTo((codexMicros + geminiMicros) / 1e6, 9);

    const daily = (await api.get(`/v1/stats/daily?days=2&tz=${tz}`)).body;
    const day = daily.days.find((d: any) => d.date === new Date(start).toISOString().slice(0, 10));
    expect(day).toMatchObject({ cost_usd: 0 });
    expect(day.estimated_cost_usd).toBeCloseTo((codexMicros + geminiMicros) / 1e6, 9);

    const byProject = (await api.get(`/v1/stats/cost-by-project?days=2&tz=${tz}`)).body;
    // OTLP-only sessions name no project: both land on the "no project" row, reported cost 0.
    const row = byProject.days.find(
      (d: any) => d.date === new Date(start).toISOString().slice(0, 10) && d.project === null,
    );
    expect(row).toMatchObject({ cost_usd: 0 });
    expect(row.estimated_cost_usd).toBeCloseTo((codexMicros + geminiMicros) / 1e6, 9);
    // Reported cost is never made up from the estimate anywhere.
    expect(byProject.days.every((d: any) => d.cost_usd === 0)).toBe(true);
  });

  it("keeps Claude Code's reported cost as cost_usd, with no estimate beside it", async () => {
    const id = "claude-reported-cost";
    const record = {
      timeUnixNano: String(BigInt(Date.now() - MIN) * 1_000_000n),
      body: { stringValue: "claude_code.api_request" },
      attributes: [
        { key: "session.id", value: { stringValue: id } },
        { key: "event.name", value: { stringValue: "api_request" } },
        { key: "model", value: { stringValue: "claude-sonnet-4-5-20250929" } },
        { key: "input_tokens", value: { intValue: "1204" } },
        { key: "output_tokens", value: { intValue: "655" } },
        { key: "cache_read_tokens", value: { intValue: "18250" } },
        { key: "cost_usd", value: { doubleValue: 0.0421 } },
      ],
    };
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
          scopeLogs: [{ logRecords: [record] }],
        },
      ],
    };
    expect((await api.post("/v1/logs", body)).status).toBe(200);
    const s = await sessionOf(id, (x) => x.input_tokens === 1204, "the Claude Code session's usage");
    expect(s).toMatchObject({ cost_usd: 0.0421, estimated_cost_usd: 0 });
  });
});

describe("working now", () => {
  const hook = (agent: string, file: string, session: string, at: number) =>
    api.post(
      `/v1/hooks/${agent}`,
      { ...JSON.parse(readFileSync(join(REAL, file), "utf8")), session_id: session },
      { "x-pulse-event-time": String(at) },
    );

  it("counts only sessions whose status is active: not waiting (any reason), not ended, not revived by telemetry; the chart's now agrees", async () => {
    const before = (await api.get("/v1/stats")).body;
    const t = Date.now() - 2 * MIN;
    const dir = "codex-0.171.0/hooks";
    // Working: a prompt was submitted, a tool runs.
    await hook("codex", `${dir}/UserPromptSubmit.json`, "wn-working", t);
    await hook("codex", `${dir}/PreToolUse.json`, "wn-working", t + 1000);
    // Waiting: the turn ended; the user interrupted it; ended.
    await hook("codex", `${dir}/UserPromptSubmit.json`, "wn-turn-end", t);
    await hook("codex", `${dir}/Stop.json`, "wn-turn-end", t + 1000);
    await hook("codex", `${dir}/UserPromptSubmit.json`, "wn-interrupted", t);
    await hook("codex", `${dir}/Interrupt.json`, "wn-interrupted", t + 1000);
    await hook("codex", `${dir}/UserPromptSubmit.json`, "wn-ended", t);
    await hook("codex", `${dir}/SessionEnd.json`, "wn-ended", t + 1000);
    // Telemetry after the turn ended (Codex's export of that turn) must not make it "working" again.
    const late = realExport(
      "codex-0.171.0/otlp/body-00245-logs.json",
      { "01a2335f-cb57-79e2-8ec7-91859630b61c": "wn-turn-end" },
      t + 2000,
    );
    expect((await api.post("/v1/logs", late.body)).status).toBe(200);
    // Working: a tool started 20 minutes ago (4 stale timeouts) that still runs, its watcher proving life.
    await hook("codex", `${dir}/UserPromptSubmit.json`, "wn-long-tool", Date.now() - 20 * MIN);
    await hook("codex", `${dir}/PreToolUse.json`, "wn-long-tool", Date.now() - 20 * MIN + 1000);
    await sessionOf("wn-long-tool", (s) => s.event_count === 2, "the long tool's events");
    expect((await api.post("/v1/liveness", { session_id: "wn-long-tool", source: "codex" })).status).toBe(202);
    await sessionOf("wn-long-tool", (s) => s.alive_at !== null, "the long tool's proof of life");

    await sessionOf("wn-working", (s) => s.status === "active" && s.event_count === 2, "working");
    await sessionOf(
      "wn-turn-end",
      (s) => s.status === "waiting" && s.waiting_reason === "turn_end" && s.input_tokens > 0,
      "waiting after the turn, with its tokens",
    );
    await sessionOf(
      "wn-interrupted",
      (s) => s.status === "waiting" && s.waiting_reason === "interrupted",
      "interrupted",
    );
    await sessionOf("wn-ended", (s) => s.status === "ended", "ended");
    const stats = (await api.get("/v1/stats")).body;
    expect(stats.active - before.active).toBe(2);
    expect(stats.waiting - before.waiting).toBe(2);
    expect(stats.ended - before.ended).toBe(1);
    // The list the "Working now" card links to holds exactly that many.
    const listed = (await api.get("/v1/sessions?status=active&limit=500")).body.items;
    expect(listed.length).toBe(stats.active);
    expect(listed.map((s: any) => s.id)).toEqual(expect.arrayContaining(["wn-working", "wn-long-tool"]));
    // The concurrency chart's "now" says the same: telemetry after a turn is no work, a live tool is.
    const now = (await api.get("/v1/stats/timeline?hours=1&buckets=13")).body.points.at(-1);
    expect(now).toEqual({ t: expect.any(String), working: stats.active, waiting: stats.waiting });
  });
});
