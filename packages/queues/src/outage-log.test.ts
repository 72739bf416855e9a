import { OutageLog } from "./outage-log";

describe("OutageLog", () => {
  it("logs an outage when it starts and when it ends, whatever the number of failures in between", () => {
    const lines: Array<[string, string, object]> = [];
    const logger = {
      warn: (f: object, m: string) => lines.push(["warn", m, f]),
      info: (f: object, m: string) => lines.push(["info", m, f]),
    };
    let now = 1_000;
    const log = new OutageLog(logger, { down: "down", up: "up" }, () => now);
    log.up();
    expect(lines).toEqual([]);
    for (let i = 0; i < 10_000; i++) log.down(`ECONNREFUSED ${i}`, { jobId: i });
    expect(log.isDown).toBe(true);
    now = 21_000;
    log.up();
    log.up();
    expect(lines).toEqual([
      ["warn", "down", { jobId: 0, reason: "ECONNREFUSED 0" }],
      ["info", "up", { downForMs: 20_000, failures: 10_000 }],
    ]);
    // A second outage is logged again.
    log.down("again");
    expect(lines).toHaveLength(3);
  });
});
