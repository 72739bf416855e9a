import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { breakerFile, breakerFor, closeBreaker, inCooldown, openBreaker, tripBreaker } from "./ingest-breaker";

/** The breaker's file, on a real (temporary) directory; the clock is passed in. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pulse-breaker-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const URL_A = "http://127.0.0.1:6820";
const T0 = 1_796_000_000_000;

describe("the hooks' breaker for an ingest that does not answer", () => {
  it("opens for 10 s, then 20, 40 and at most 60 s while tries keep failing; keeps when it began", () => {
    const cooldowns: number[] = [];
    let now = T0;
    for (let i = 0; i < 5; i++) {
      const state = tripBreaker(dir, URL_A, "ingest unreachable (ETIMEDOUT)", now);
      cooldowns.push(state.until - now);
      expect(state).toMatchObject({ url: URL_A, since: T0, failures: i + 1, reason: "ingest unreachable (ETIMEDOUT)" });
      now = state.until + 1;
    }
    expect(cooldowns).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it("applies to its own URL only, and only during the cooldown", () => {
    tripBreaker(dir, URL_A, "x", T0);
    expect(openBreaker(dir, URL_A, T0 + 9_999)).not.toBeNull();
    expect(openBreaker(dir, URL_A, T0 + 10_000)).toBeNull();
    expect(breakerFor(dir, URL_A)).not.toBeNull(); // over, but remembered: the next try doubles it
    expect(openBreaker(dir, "http://10.0.0.5:6820", T0 + 1)).toBeNull();
    // Another URL starts over at 10 s.
    expect(tripBreaker(dir, "http://10.0.0.5:6820", "y", T0).failures).toBe(1);
  });

  it("does not trust an end further away than the longest cooldown (the clock was set back)", () => {
    const state = tripBreaker(dir, URL_A, "x", T0);
    expect(inCooldown(state, T0 - 3_600_000)).toBe(false);
  });

  it("is closed by a delivery; a missing, foreign or broken file means closed", () => {
    tripBreaker(dir, URL_A, "x", T0);
    expect(closeBreaker(dir)).toBe(true);
    expect(closeBreaker(dir)).toBe(false);
    expect(breakerFor(dir, URL_A)).toBeNull();
    writeFileSync(breakerFile(dir), "{not json");
    expect(breakerFor(dir, URL_A)).toBeNull();
    writeFileSync(breakerFile(dir), JSON.stringify({ url: URL_A, until: "soon" }));
    expect(breakerFor(dir, URL_A)).toBeNull();
    // And a broken file is replaced by the next trip.
    expect(tripBreaker(dir, URL_A, "x", T0).failures).toBe(1);
    expect(JSON.parse(readFileSync(breakerFile(dir), "utf8")).failures).toBe(1);
  });
});
