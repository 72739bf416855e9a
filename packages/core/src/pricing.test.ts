import { findProvider } from "@pydantic/genai-prices";
import { AGENTS } from "./agents";
import { NO_USAGE, type ReportedUsage } from "./event";
import { applyEvent, newSession } from "./lifecycle";
import { buildEvent } from "./normalize";
import { mapOtlpLogs } from "./otlp";
import { estimateCostUsd } from "./pricing";
import { toSessionJson } from "./session-json";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const REAL = join(__dirname, "../../../test/fixtures/real");
const DEC_2026 = Date.UTC(2026, 11, 1);

/**
 * A model's listed $/million tokens, read from the table itself (so a new package version with new
 * prices does not break the test): the flat price, or a tier's base, of the entry in force at `at`.
 */
function listed(provider: string, modelId: string, at: number): Record<string, number> {
  const model = findProvider({ providerId: provider })!.models.find((m) => m.id === modelId)!;
  const entries = Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }];
  const inForce = entries
    .filter(
      (e) =>
        !("constraint" in e) ||
        !e.constraint ||
        (e.constraint.type === "start_date" && Date.parse(e.constraint.start_date) <= at),
    )
    .pop()!;
  return Object.fromEntries(
    Object.entries(inForce.prices).map(([k, v]) => [k, typeof v === "number" ? v : (v as { base: number }).base]),
  );
}

const usage = (u: Partial<ReportedUsage>): ReportedUsage => ({ ...NO_USAGE, ...u });

describe("estimateCostUsd", () => {
  it("prices OpenAI-style counts (cached tokens inside input) at the model's list price, cached part at the cache rate", () => {
    const p = listed("openai", "gpt-5", DEC_2026);
    // Codex 0.171's response.completed from the real fixture: 1200 in (7 of them cached), 40 out.
    const estimate = estimateCostUsd(
      "codex",
      usage({ input_tokens: 1200, cache_read_tokens: 7, output_tokens: 40, model: "gpt-5-codex" }),
      DEC_2026,
    );
    expect(estimate).toBeCloseTo(((1200 - 7) * p.input_mtok + 7 * p.cache_read_mtok + 40 * p.output_mtok) / 1e6, 12);
  });

  it("adds Anthropic-style cache counts (reported beside input) to the input before pricing", () => {
    const p = listed("anthropic", "claude-sonnet-4-5", DEC_2026);
    const estimate = estimateCostUsd(
      "claude-code",
      usage({
        input_tokens: 10,
        cache_read_tokens: 100,
        cache_creation_tokens: 50,
        output_tokens: 5,
        model: "claude-sonnet-4-5-20250929",
      }),
      DEC_2026,
    );
    expect(estimate).toBeCloseTo(
      (10 * p.input_mtok + 100 * p.cache_read_mtok + 50 * p.cache_write_mtok + 5 * p.output_mtok) / 1e6,
      12,
    );
  });

  it("uses the price in force when the event happened", () => {
    const before = listed("google", "gemini-3.8-flash", Date.UTC(2026, 11, 1));
    const after = listed("google", "gemini-3.8-flash", Date.UTC(2027, 1, 1));
    expect(after.input_mtok).not.toBe(before.input_mtok); // the table lists a change on 2027-01-01
    const u = usage({ input_tokens: 800, cache_read_tokens: 11, output_tokens: 20, model: "gemini-3.8-flash" });
    const cost = (p: Record<string, number>) =>
      (789 * p.input_mtok + 11 * p.cache_read_mtok + 20 * p.output_mtok) / 1e6;
    expect(estimateCostUsd("gemini", u, Date.UTC(2026, 11, 1))).toBeCloseTo(cost(before), 12);
    expect(estimateCostUsd("gemini", u, Date.UTC(2027, 1, 1))).toBeCloseTo(cost(after), 12);
  });

  it("makes no estimate where it would be a guess or a double count", () => {
    const tokens = { input_tokens: 100, output_tokens: 10, model: "gpt-5-codex" };
    expect(estimateCostUsd("codex", usage({ ...tokens, cost_usd: 0.5 }))).toBeNull(); // reported: that one counts
    expect(estimateCostUsd("codex", usage({ ...tokens, cost_usd: 0 }))).toBeNull(); // reported as free
    expect(estimateCostUsd("codex", usage({ ...tokens, model: null }))).toBeNull();
    expect(estimateCostUsd("codex", usage({ model: "gpt-5-codex" }))).toBeNull(); // no tokens
    expect(estimateCostUsd("codex", usage({ ...tokens, model: "no-such-model-ever" }))).toBeNull();
    expect(estimateCostUsd("my-agent", usage(tokens))).toBeNull(); // token semantics unknown
    expect(estimateCostUsd("otel", usage(tokens))).toBeNull();
    // More cached than input tokens contradicts OpenAI's counting: genai-prices throws, Pulse says nothing.
    expect(estimateCostUsd("codex", usage({ ...tokens, cache_read_tokens: 101 }))).toBeNull();
  });

  it("never throws on odd model names or sizes", () => {
    for (const model of [
      "__proto__",
      "constructor",
      "(.*",
      "",
      " ",
      "gpt-5-codex\u0000",
      "x".repeat(200),
      "models/gemini-2.5-pro",
    ]) {
      expect(() => estimateCostUsd("codex", usage({ input_tokens: 1, output_tokens: 1, model }))).not.toThrow();
    }
    expect(estimateCostUsd("codex", usage({ input_tokens: 0, output_tokens: 0, model: "gpt-5-codex" }))).toBe(0);
    expect(
      estimateCostUsd(
        "gemini",
        usage({ input_tokens: Number.MAX_SAFE_INTEGER, output_tokens: 1, model: "gemini-3.8-flash" }),
      ),
    ).toBeGreaterThan(0);
  });

  it("is filled in by buildEvent for the real Codex and Gemini exports, and only where they carry tokens", () => {
    for (const file of ["codex-0.171.0/otlp/body-00240-logs.json", "gemini-0.61.0/otlp/body-00307-logs.json"]) {
      const mapping = mapOtlpLogs(JSON.parse(readFileSync(join(REAL, file), "utf8")));
      const events = mapping.events.map((e, i) =>
        buildEvent(
          { session_id: e.sessionId, source: e.source },
          e.mapped,
          { key: `k${i}`, receivedMs: DEC_2026, stampedMs: e.timeMs ?? undefined, host: null },
          e.raw,
        ),
      );
      const withTokens = events.filter((e) => e.usage?.input_tokens != null);
      expect(withTokens.length).toBeGreaterThan(0);
      for (const e of withTokens)
        expect(e.usage).toMatchObject({ cost_usd: null, estimated_cost_usd: expect.any(Number) });
      for (const e of withTokens) expect(e.usage!.estimated_cost_usd).toBeGreaterThan(0);
      for (const e of events.filter((x) => x.usage && x.usage.input_tokens == null))
        expect(e.usage!.estimated_cost_usd).toBeNull();
    }
  });

  it("leaves Claude Code's reported cost alone", () => {
    const mapped = {
      ...AGENTS["claude-code"].mapHook({
        hook_event_name: "SessionStart",
        session_id: "s",
        model: "claude-sonnet-4-5",
      })!,
    };
    const withCost = {
      ...mapped,
      usage: usage({ input_tokens: 10, output_tokens: 5, cost_usd: 0.04, model: "claude-sonnet-4-5" }),
    };
    const event = buildEvent(
      { session_id: "s", source: "claude-code" },
      withCost,
      { key: "k", receivedMs: DEC_2026, host: null },
      {},
    );
    expect(event.usage).toMatchObject({ cost_usd: 0.04, estimated_cost_usd: null });
  });
});

describe("estimated cost on a session", () => {
  it("is summed apart from the reported cost, exactly, and shown apart", () => {
    const at = (s: number, u: Partial<ReportedUsage> & { estimated_cost_usd?: number | null }) => ({
      kind: "activity" as const,
      time: DEC_2026 + s * 1000,
      source: "codex",
      cwd: null,
      project: null,
      host: null,
      detail: null,
      waitingReason: null,
      endReason: null,
      endDetail: null,
      signal: "telemetry" as const,
      usage: { ...NO_USAGE, ...u },
    });
    const session = [
      at(1, { input_tokens: 5, estimated_cost_usd: 0.1 }),
      at(2, { input_tokens: 5, estimated_cost_usd: 0.2 }),
      at(3, { cost_usd: 0.5 }),
      at(4, { input_tokens: 1 }),
    ].reduce(applyEvent, newSession("s", "codex"));
    expect(session).toMatchObject({ costMicros: 500_000, estimatedCostMicros: 300_000 });
    expect(toSessionJson(session)).toMatchObject({ cost_usd: 0.5, estimated_cost_usd: 0.3 });
  });
});
