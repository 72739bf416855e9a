import { ChangeLog } from "./change-log";

describe("ChangeLog", () => {
  it("hands a fetch the changes that arrived while it was in flight, in arrival order", () => {
    const log = new ChangeLog<string>();
    log.record("before");
    log.begin("list");
    log.record("a");
    log.record("b");
    expect(log.end("list")).toEqual(["a", "b"]);
  });

  it("keeps nothing while no fetch is open, and forgets what no open fetch still needs", () => {
    const log = new ChangeLog<string>();
    log.record("x");
    expect(log.size).toBe(0);
    log.begin("one");
    log.record("a");
    log.begin("two");
    log.record("b");
    expect(log.end("one")).toEqual(["a", "b"]);
    expect(log.size).toBe(1);
    expect(log.end("two")).toEqual(["b"]);
    expect(log.size).toBe(0);
  });

  it("keeps a restarted fetch's first start, and answers nothing for a fetch it did not see begin", () => {
    const log = new ChangeLog<string>();
    log.begin("list");
    log.record("a");
    log.begin("list");
    log.record("b");
    expect(log.end("list")).toEqual(["a", "b"]);
    expect(log.end("list")).toEqual([]);
    expect(log.end("never")).toEqual([]);
  });
});
