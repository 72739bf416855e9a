import { RecentResults } from "./recent-results";

describe("RecentResults", () => {
  it("reuses a result while it is fresh, shares a running computation, and forgets failures", async () => {
    let now = 0;
    const cache = new RecentResults<number>(1000, () => now);
    let runs = 0;
    const compute = () => Promise.resolve(++runs);
    const [a, b] = await Promise.all([cache.get("k", compute), cache.get("k", compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.get("k", compute)).toBe(1);
    now = 1000;
    expect(await cache.get("k", compute)).toBe(2);
    expect(await cache.get("other", compute)).toBe(3);
    await expect(cache.get("bad", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    expect(await cache.get("bad", compute)).toBe(4);
  });
});
