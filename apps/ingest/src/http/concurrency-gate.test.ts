import { ApiError } from "./api-error";
import { ConcurrencyGate } from "./concurrency-gate";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("ConcurrencyGate", () => {
  it("runs one at a time, in order, queues up to its limit and refuses the rest with 429", async () => {
    const gate = new ConcurrencyGate(1, 2, "timeline");
    const order: string[] = [];
    const first = deferred();
    const a = gate.run(async () => {
      order.push("a start");
      await first.promise;
      order.push("a end");
      return "a";
    });
    const b = gate.run(async () => (order.push("b"), "b"));
    const c = gate.run(async () => (order.push("c"), "c"));
    await expect(gate.run(async () => "d")).rejects.toMatchObject({
      status: 429,
      code: "too_many_requests",
      headers: { "retry-after": "2" },
    });
    expect(order).toEqual(["a start"]);
    first.resolve();
    expect(await Promise.all([a, b, c])).toEqual(["a", "b", "c"]);
    expect(order).toEqual(["a start", "a end", "b", "c"]);
    // Free again: runs at once.
    expect(await gate.run(async () => "e")).toBe("e");
  });

  it("a failed computation frees its slot", async () => {
    const gate = new ConcurrencyGate(1, 0, "timeline");
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "ok")).toBe("ok");
    const refused = await gate.run(async () => gate.run(async () => "nested")).catch((e) => e);
    expect(refused).toBeInstanceOf(ApiError);
  });
});
