import { downSinceAfter, readinessVerdict } from "./redis-ready";

const GRACE = 1_000;

describe("downSinceAfter", () => {
  it("starts counting at the first sign of trouble and keeps that start through every retry", () => {
    let down = downSinceAfter(null, "connecting", 100);
    expect(down).toBe(100);
    down = downSinceAfter(down, "reconnecting", 250);
    down = downSinceAfter(down, "connecting", 900);
    expect(down).toBe(100);
  });

  it("stops counting once the connection is ready, and starts again at the next outage", () => {
    expect(downSinceAfter(100, "ready", 300)).toBeNull();
    expect(downSinceAfter(null, "close", 5_000)).toBe(5_000);
  });
});

describe("readinessVerdict", () => {
  it("goes on at once with a ready connection", () => {
    expect(readinessVerdict("ready", null, 0, GRACE)).toEqual({ ready: true });
  });

  it("waits what is left of the grace for a connection that just went down or is still booting", () => {
    expect(readinessVerdict("connecting", null, 10_000, GRACE)).toEqual({ ready: false, waitMs: GRACE });
    expect(readinessVerdict("reconnecting", 10_000, 10_400, GRACE)).toEqual({ ready: false, waitMs: 600 });
  });

  it("gives up at once when Redis has been down longer than the grace: a client spools instead of waiting", () => {
    expect(readinessVerdict("reconnecting", 10_000, 11_000, GRACE)).toEqual({ ready: false, waitMs: 0 });
    expect(readinessVerdict("connecting", 10_000, 70_000, GRACE)).toEqual({ ready: false, waitMs: 0 });
  });

  it("gives up at once on a connection ended for good", () => {
    expect(readinessVerdict("end", 10_000, 10_001, GRACE)).toEqual({ ready: false, waitMs: 0 });
    expect(readinessVerdict("end", null, 0, GRACE)).toEqual({ ready: false, waitMs: 0 });
  });
});
