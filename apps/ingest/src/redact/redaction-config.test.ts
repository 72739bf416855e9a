import { loadIngestConfig } from "../config";
import { createRedactor } from "./redactor";

describe("redaction settings (PULSE_REDACT, PULSE_REDACT_EXTRA_PATTERNS)", () => {
  it("redacts by default, with no extra patterns", () => {
    const config = loadIngestConfig({});
    expect(config.PULSE_REDACT).toBe("on");
    expect(config.PULSE_REDACT_EXTRA_PATTERNS).toBeUndefined();
    expect(loadIngestConfig({ PULSE_REDACT: "off" }).PULSE_REDACT).toBe("off");
  });

  it("reads extra patterns as kind → regex, /…/flags included, and they apply", async () => {
    const config = loadIngestConfig({
      PULSE_REDACT_EXTRA_PATTERNS: JSON.stringify({ acme: "acme_[a-z0-9]{12}", "ticket-id": "/TICKET-\\d{6}/i" }),
    });
    expect(config.PULSE_REDACT_EXTRA_PATTERNS).toEqual([
      { kind: "acme", source: "acme_[a-z0-9]{12}", flags: "" },
      { kind: "ticket-id", source: "TICKET-\\d{6}", flags: "i" },
    ]);
    const redactor = await createRedactor({ enabled: true, extraPatterns: config.PULSE_REDACT_EXTRA_PATTERNS! });
    expect(await redactor.redactText("acme_0123456789ab ticket-123456")).toBe("[REDACTED:acme] [REDACTED:ticket-id]");
  });

  it.each([
    [{ PULSE_REDACT: "yes" }, /PULSE_REDACT: must be on or off/],
    [{ PULSE_REDACT_EXTRA_PATTERNS: "acme_[a-z]+" }, /PULSE_REDACT_EXTRA_PATTERNS: must be a JSON object/],
    [{ PULSE_REDACT_EXTRA_PATTERNS: '["acme_[a-z]+"]' }, /PULSE_REDACT_EXTRA_PATTERNS: must be a JSON object/],
    [
      { PULSE_REDACT_EXTRA_PATTERNS: '{"acme":"acme_[a-z+"}' },
      /PULSE_REDACT_EXTRA_PATTERNS: pattern "acme" is not a valid regular expression/,
    ],
    [
      { PULSE_REDACT_EXTRA_PATTERNS: '{"acme":"x*"}' },
      /PULSE_REDACT_EXTRA_PATTERNS: pattern "acme" must not match the empty string/,
    ],
    [
      { PULSE_REDACT_EXTRA_PATTERNS: '{"bad kind!":"acme_[a-z]+"}' },
      /PULSE_REDACT_EXTRA_PATTERNS: pattern "\?" has a bad kind/,
    ],
    [
      { PULSE_REDACT_EXTRA_PATTERNS: '{"acme":42}' },
      /PULSE_REDACT_EXTRA_PATTERNS: pattern "acme" must be a non-empty string/,
    ],
  ])("%j is refused at boot, naming the variable, never the pattern", (vars, message) => {
    expect(() => loadIngestConfig(vars)).toThrow(message);
    try {
      loadIngestConfig(vars);
    } catch (error) {
      for (const value of Object.values(vars)) expect((error as Error).message).not.toContain(value);
    }
  });
});
