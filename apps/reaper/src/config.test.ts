import { loadReaperConfig } from "./config";

describe("reaper configuration", () => {
  it.each([
    [{ SESSION_STALE_TIMEOUT_MINUTES: "abc" }, /SESSION_STALE_TIMEOUT_MINUTES: must be a number of minutes/],
    [{ SESSION_STALE_TIMEOUT_MINUTES: "-1" }, /SESSION_STALE_TIMEOUT_MINUTES: must be greater than 0/],
    [{ REAPER_INTERVAL_SECONDS: "0" }, /REAPER_INTERVAL_SECONDS: must be greater than 0/],
    [{ REDIS_URL: "http://localhost" }, /REDIS_URL: must be a redis:\/\//],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL: must be a postgresql:\/\//],
    [{ REAPER_BATCH_SIZE: "1.5" }, /REAPER_BATCH_SIZE: must be a whole number/],
    [{ JOB_LOCK_SECONDS: "0.1" }, /JOB_LOCK_SECONDS: must be at least 0.5/],
    [{ JOB_LOCK_SECONDS: "x" }, /JOB_LOCK_SECONDS: must be a number of seconds/],
  ])("%j is refused with a message naming the variable", (vars, message) => {
    expect(() => loadReaperConfig(vars)).toThrow(message);
  });

  it("takes fractions of minutes and the documented defaults", () => {
    expect(loadReaperConfig({ SESSION_STALE_TIMEOUT_MINUTES: "0.05" }).SESSION_STALE_TIMEOUT_MINUTES).toBe(0.05);
    expect(loadReaperConfig({})).toMatchObject({
      SESSION_STALE_TIMEOUT_MINUTES: 5,
      REAPER_INTERVAL_SECONDS: 30,
      JOB_LOCK_SECONDS: 30,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/pulse",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
  });
});
