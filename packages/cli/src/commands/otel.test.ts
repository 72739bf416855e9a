import { claudeCodeOtelEnv, codexOtelToml, geminiOtelEnv } from "./otel";

describe("pulse otel env", () => {
  it("points Claude Code's OTLP log export at Pulse, with the token as a header when there is one", () => {
    expect(claudeCodeOtelEnv("http://127.0.0.1:6820", null)).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: "1",
      OTEL_LOGS_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:6820",
    });
    expect(claudeCodeOtelEnv("https://pulse.example", "t0ken").OTEL_EXPORTER_OTLP_HEADERS).toBe(
      "Authorization=Bearer t0ken",
    );
  });

  it("writes Codex's [otel] table with the logs endpoint", () => {
    expect(codexOtelToml("http://127.0.0.1:6820", 't"k')).toBe(
      '[otel]\nexporter = { otlp-http = { endpoint = "http://127.0.0.1:6820/v1/logs", protocol = "json", headers = { "Authorization" = "Bearer t\\"k" } } }',
    );
  });

  it("points Gemini CLI's telemetry at Pulse over OTLP/HTTP (the variables its 0.61 bundle reads), token in the standard header variable", () => {
    expect(geminiOtelEnv("http://127.0.0.1:6820", null)).toEqual({
      GEMINI_TELEMETRY_ENABLED: "true",
      GEMINI_TELEMETRY_TARGET: "local",
      GEMINI_TELEMETRY_OTLP_ENDPOINT: "http://127.0.0.1:6820",
      GEMINI_TELEMETRY_OTLP_PROTOCOL: "http",
    });
    expect(geminiOtelEnv("https://pulse.example", "t0ken").OTEL_EXPORTER_OTLP_HEADERS).toBe(
      "Authorization=Bearer t0ken",
    );
  });
});
