import type { NormalizedEvent } from "@pulse/core";
import { findFailingEvents } from "./find-failing-events";

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `e${i}` }) as unknown as NormalizedEvent);
const dataError = () =>
  Object.assign(new Error("invalid input syntax for type json"), {
    code: "P2010",
    meta: { driverAdapterError: { cause: { originalCode: "22P02" } } },
  });

/** An apply that fails whenever the batch holds a bad event, and records what it committed. */
function fakeApply(bad: Set<string>, fail: (batch: NormalizedEvent[]) => unknown = dataError) {
  const applied = new Set<string>();
  let calls = 0;
  return {
    applied,
    calls: () => calls,
    attempt: async (batch: NormalizedEvent[]) => {
      calls++;
      if (batch.some((e) => bad.has(e.key))) return fail(batch);
      for (const e of batch) applied.add(e.key);
      return null;
    },
  };
}

describe("findFailingEvents", () => {
  it("finds the one bad event of 500 in a few transactions and applies every other", async () => {
    const all = events(500);
    const apply = fakeApply(new Set(["e317"]));
    const found = await findFailingEvents(all, dataError(), apply.attempt);
    expect(found.outage).toBeNull();
    expect([...found.failing.keys()].map((e) => e.key)).toEqual(["e317"]);
    expect(apply.applied.size).toBe(499);
    expect(apply.calls()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(500)));
  });

  it("finds several bad events wherever they are", async () => {
    const bad = new Set(["e0", "e1", "e63", "e64", "e99"]);
    const apply = fakeApply(bad);
    const found = await findFailingEvents(events(100), dataError(), apply.attempt);
    expect(new Set([...found.failing.keys()].map((e) => e.key))).toEqual(bad);
    expect(apply.applied.size).toBe(95);
  });

  it("stops at an outage: nothing is marked failing, everything is retried", async () => {
    let calls = 0;
    const found = await findFailingEvents(events(64), dataError(), async () =>
      ++calls === 3
        ? Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" })
        : dataError(),
    );
    expect(found.failing.size).toBe(0);
    expect(found.outage).toMatchObject({ code: "P1001" });
  });

  it("does not try every event alone when the whole batch fails for a reason not in the data", async () => {
    const unknown = () => new Error('column "estimated_cost_micros" does not exist');
    const apply = fakeApply(new Set(events(200).map((e) => e.key)), unknown);
    const found = await findFailingEvents(events(200), unknown(), apply.attempt);
    expect(found.failing.size).toBe(200);
    expect(apply.calls()).toBe(2);
  });
});
