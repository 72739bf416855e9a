import { buildEvent, eventInputSchema, mapEventInput, type NormalizedEvent } from "@pulse/core";
import { MAX_EVENTS_PER_JOB } from "@pulse/queues";
import { EVENT_OVERHEAD_BYTES, eventSize, MAX_JOB_BYTES, splitIntoJobs } from "./job-split";

let seq = 0;
function event(payload?: unknown): NormalizedEvent {
  const input = eventInputSchema.parse({ session_id: "s", source: "test", kind: "tool" });
  return buildEvent(
    input,
    mapEventInput(input),
    { key: `k${++seq}`, receivedMs: 0, stampedMs: 0, host: null },
    payload ?? input,
  );
}
const events = (n: number) => Array.from({ length: n }, () => event());
const keys = (jobs: NormalizedEvent[][]) => jobs.map((job) => job.map((e) => e.key));

describe("splitIntoJobs", () => {
  it("puts small requests' events into one job, in arrival order", () => {
    const a = events(2);
    const b = events(3);
    expect(
      keys(
        splitIntoJobs([
          { events: a, eventBytes: 600 },
          { events: b, eventBytes: 600 },
        ]),
      ),
    ).toEqual([[...a, ...b].map((e) => e.key)]);
  });

  it("cuts at MAX_EVENTS_PER_JOB events, across requests", () => {
    const batch = [
      { events: events(MAX_EVENTS_PER_JOB - 1), eventBytes: 600 },
      { events: events(MAX_EVENTS_PER_JOB + 5), eventBytes: 600 },
    ];
    const jobs = splitIntoJobs(batch);
    expect(jobs.map((j) => j.length)).toEqual([MAX_EVENTS_PER_JOB, MAX_EVENTS_PER_JOB, 4]);
    expect(jobs.flat()).toEqual(batch.flatMap((r) => r.events));
  });

  it("cuts before a job would pass the byte budget", () => {
    const big = Math.floor(MAX_JOB_BYTES / 3) + 1;
    expect(splitIntoJobs([{ events: events(7), eventBytes: big }]).map((j) => j.length)).toEqual([2, 2, 2, 1]);
    expect(
      splitIntoJobs([{ events: events(10), eventBytes: 100 }], { maxEvents: 4, maxBytes: 250 }).map((j) => j.length),
    ).toEqual([2, 2, 2, 2, 2]);
  });

  it("gives an event bigger than the budget a job of its own instead of refusing it", () => {
    const small = events(2);
    const huge = events(1);
    const jobs = splitIntoJobs([
      { events: [small[0]], eventBytes: 100 },
      { events: huge, eventBytes: MAX_JOB_BYTES * 2 },
      { events: [small[1]], eventBytes: 100 },
    ]);
    expect(keys(jobs)).toEqual([[small[0].key], [huge[0].key], [small[1].key]]);
  });

  it("makes no job of nothing", () => {
    expect(splitIntoJobs([])).toEqual([]);
    expect(splitIntoJobs([{ events: [], eventBytes: 600 }])).toEqual([]);
  });
});

describe("eventSize", () => {
  it("shares the request body between its events when its size is known", () => {
    expect(eventSize(events(4), 4_000)).toBe(EVENT_OVERHEAD_BYTES + 1_000);
    expect(eventSize(events(3), 1_000)).toBe(EVENT_OVERHEAD_BYTES + 334);
  });

  it("otherwise counts the largest payload for each", () => {
    const text = "x".repeat(10_000);
    expect(eventSize([event({ a: 1 }), event({ text })])).toBe(EVENT_OVERHEAD_BYTES + JSON.stringify({ text }).length);
  });

  it("throws for a payload JSON cannot encode, before it joins anyone's write", () => {
    expect(() =>
      eventSize([{ ...event(), payload: { n: BigInt(1) } as unknown as NormalizedEvent["payload"] }]),
    ).toThrow(TypeError);
  });
});
