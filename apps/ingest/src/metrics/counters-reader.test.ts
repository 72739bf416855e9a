import { METRICS_FIELDS } from "@pulse/queues";
import { parseReaperCounts } from "./counters-reader";

it("reads the reaper's fields of the metrics hash, and ignores fields it does not know or values that are not counts", () => {
  const counts = parseReaperCounts({
    [METRICS_FIELDS.reaperSweeps]: "7",
    [METRICS_FIELDS.reaperEndedStale]: "3",
    [`${METRICS_FIELDS.reaperSweepsSkipped}backlog`]: "2",
    [`${METRICS_FIELDS.reaperSweepsSkipped}Not A Reason!`]: "5",
    [`${METRICS_FIELDS.reaperSweepsSkipped}ingest_down`]: "-4",
    "deliveries:sent": "9",
  });
  expect(Object.fromEntries(counts.sweeps)).toEqual({ swept: 7, backlog: 2, ingest_down: 0 });
  expect(counts.endedStale).toBe(3);
  expect(parseReaperCounts({})).toEqual({ sweeps: new Map([["swept", 0]]), endedStale: 0 });
});
