import { loadIngestConfig } from "./config";

describe("ingest configuration", () => {
  it.each([
    [{ INGEST_PORT: "http" }, /INGEST_PORT: must be a number/],
    [{ INGEST_PORT: "70000" }, /INGEST_PORT: must be a port number/],
    [{ PULSE_TOKEN: "short" }, /PULSE_TOKEN: must be at least 8 characters/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL: must be one of/],
    [{ DATABASE_URL: "not a url" }, /DATABASE_URL: must be a postgresql:\/\//],
    [
      { PULSE_ALLOWED_HOSTS: "pulse.lan:8080" },
      /PULSE_ALLOWED_HOSTS: must be host names separated by commas, without ports/,
    ],
    [{ PULSE_ALLOWED_HOSTS: "http://pulse.lan" }, /PULSE_ALLOWED_HOSTS: must be host names/],
    [{ PULSE_ALLOWED_HOSTS: "pulse lan" }, /PULSE_ALLOWED_HOSTS: must be host names/],
    [{ PULSE_ALLOWED_HOSTS: " , " }, /PULSE_ALLOWED_HOSTS: must be host names/],
  ])("%j is refused with a message naming the variable, never its value", (vars, message) => {
    expect(() => loadIngestConfig(vars)).toThrow(message);
    try {
      loadIngestConfig(vars);
    } catch (error) {
      for (const value of Object.values(vars)) expect((error as Error).message).not.toContain(`"${value}"`);
    }
  });

  it("has the documented defaults, and treats empty variables as unset", () => {
    const config = loadIngestConfig({ PULSE_TOKEN: "", INGEST_PORT: "" });
    expect(config).toMatchObject({ HOST: "127.0.0.1", INGEST_PORT: 6820, PULSE_REDIS_PREFIX: "pulse" });
    expect(config.PULSE_TOKEN).toBeUndefined();
    expect(config.PULSE_ALLOWED_HOSTS).toBeUndefined();
  });

  it("reads PULSE_ALLOWED_HOSTS as lower-case names", () => {
    expect(loadIngestConfig({ PULSE_ALLOWED_HOSTS: "ingest, Pulse.LAN,[fd00::1]" }).PULSE_ALLOWED_HOSTS).toEqual([
      "ingest",
      "pulse.lan",
      "[fd00::1]",
    ]);
  });
});
