import { BoundedRead } from "./bounded-read";

describe("BoundedRead", () => {
  it("answers the read's value, or its error's first line", async () => {
    expect(await new BoundedRead(async () => 42, 1_000).run()).toEqual({ ok: true, value: 42 });
    expect(
      await new BoundedRead(async () => {
        throw new Error("connection refused\n  at somewhere");
      }, 1_000).run(),
    ).toEqual({ ok: false, error: "connection refused" });
  });

  it("gives up after its timeout, and while that read still runs the next run waits on it rather than starting another", async () => {
    let started = 0;
    let finish: (value: string) => void = () => {};
    const read = new BoundedRead(
      () =>
        new Promise<string>((resolve) => {
          started += 1;
          finish = resolve;
        }),
      20,
    );
    expect(await read.run()).toEqual({ ok: false, error: "no answer within 20 ms" });
    const second = read.run();
    finish("late");
    expect(await second).toEqual({ ok: true, value: "late" });
    expect(started).toBe(1);
    // Settled: the next run reads again.
    const third = read.run();
    await new Promise((r) => setImmediate(r));
    finish("fresh");
    expect(await third).toEqual({ ok: true, value: "fresh" });
    expect(started).toBe(2);
  });
});
