import { mapLogEvent } from "./otlp";

describe("OTLP counts Postgres cannot store", () => {
  it("drops token counts beyond Postgres' integer and costs beyond a billion dollars, keeps real ones", () => {
    const huge = mapLogEvent("claude_code.api_request", {
      input_tokens: 2 ** 31,
      output_tokens: "3000000000",
      cache_read_tokens: 2 ** 31 - 1,
      cost_usd: 1e300,
      model: "claude-x",
    });
    expect(huge.usage).toMatchObject({
      input_tokens: null,
      output_tokens: null,
      cache_read_tokens: 2 ** 31 - 1,
      cost_usd: null,
      model: "claude-x",
    });
    const real = mapLogEvent("claude_code.api_request", { input_tokens: 1200, output_tokens: 300, cost_usd: 0.0123 });
    expect(real.usage).toMatchObject({ input_tokens: 1200, output_tokens: 300, cost_usd: 0.0123 });
    expect(mapLogEvent("gemini_cli.api_response", { input_token_count: 1e12 }).usage?.input_tokens).toBeNull();
  });
});
