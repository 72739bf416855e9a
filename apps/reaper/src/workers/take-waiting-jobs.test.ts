import type { Job } from "bullmq";
import { eventsIn, takeJobs, WAVE } from "./take-waiting-jobs";

/** A waiting list in memory: each take moves its first job out under the token given, as Redis does. */
function waitingList(sizes: number[]) {
  const waiting = sizes.map(
    (events, i) =>
      ({ id: String(i + 1), data: { events: Array.from({ length: events }, () => ({})) } }) as unknown as Job,
  );
  const tokens = new Map<string, string>();
  let calls = 0;
  return {
    tokens,
    get calls() {
      return calls;
    },
    get left() {
      return waiting.length;
    },
    next: async (token: string) => {
      calls += 1;
      const job = waiting.shift();
      if (job) tokens.set(String(job.id), token);
      return job;
    },
  };
}

describe("takeJobs", () => {
  it("takes every waiting job when they fit, each under a token of its own, in order", async () => {
    const list = waitingList([1, 1, 1, 1, 1]);
    const taken = await takeJobs(list.next, { maxJobs: 200, maxEvents: 2_000, eventsSoFar: 1 });
    expect(taken.map((t) => t.job.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(new Set(taken.map((t) => t.token)).size).toBe(5);
    expect(taken.every((t) => list.tokens.get(String(t.job.id)) === t.token)).toBe(true);
    // One short wave says the list is empty: no second wave.
    expect(list.calls).toBe(WAVE);
  });

  it("stops at maxJobs, and never asks for more than it may take", async () => {
    const list = waitingList(Array(100).fill(1));
    const taken = await takeJobs(list.next, { maxJobs: 45, maxEvents: 2_000, eventsSoFar: 1 });
    expect(taken).toHaveLength(45);
    expect(list.calls).toBe(45);
    expect(list.left).toBe(55);
  });

  it("stops after the wave that reaches maxEvents, counting the events already in the batch", async () => {
    const list = waitingList(Array(100).fill(50));
    const taken = await takeJobs(list.next, { maxJobs: 200, maxEvents: 2_000, eventsSoFar: 500 });
    // 500 + 20·50 = 1,500 after one wave, 2,500 after two: a wave is taken whole, then it stops.
    expect(taken).toHaveLength(2 * WAVE);
    expect(list.left).toBe(100 - 2 * WAVE);
  });

  it("takes nothing when the batch is already full", async () => {
    const list = waitingList([1, 1]);
    expect(await takeJobs(list.next, { maxJobs: 200, maxEvents: 500, eventsSoFar: 500 })).toEqual([]);
    expect(await takeJobs(list.next, { maxJobs: 0, maxEvents: 2_000, eventsSoFar: 1 })).toEqual([]);
    expect(list.calls).toBe(0);
  });

  it("takes nothing from an empty list, in one wave", async () => {
    const list = waitingList([]);
    expect(await takeJobs(list.next, { maxJobs: 200, maxEvents: 2_000, eventsSoFar: 1 })).toEqual([]);
    expect(list.calls).toBe(WAVE);
  });
});

describe("eventsIn", () => {
  it("counts a job's events, and a payload without an events array as none (it fails validation later)", () => {
    expect(eventsIn({ data: { events: [{}, {}, {}] } })).toBe(3);
    expect(eventsIn({ data: { events: "nope" } })).toBe(0);
    expect(eventsIn({ data: null })).toBe(0);
  });
});
