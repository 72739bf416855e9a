import { claimWait, NOTIFIED_WAITS_KEY, readNotified, type WaitStore } from "./notified-waits";

function memoryStore(initial: Record<string, string> = {}): WaitStore & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

const DAY = 24 * 3_600_000;

describe("notified waits", () => {
  it("claims a wait once: the second claim (a reload, another tab) is refused", () => {
    const store = memoryStore();
    expect(claimWait(store, "s1@2026-01-01T10:00:00.000Z", 1000)).toBe(true);
    expect(claimWait(store, "s1@2026-01-01T10:00:00.000Z", 2000)).toBe(false);
    // A new wait of the same session is another wait.
    expect(claimWait(store, "s1@2026-01-01T10:05:00.000Z", 3000)).toBe(true);
    expect(Object.keys(readNotified(store))).toHaveLength(2);
  });

  it("reads a missing or damaged entry as none", () => {
    expect(readNotified(memoryStore())).toEqual({});
    expect(readNotified(memoryStore({ [NOTIFIED_WAITS_KEY]: "{not json" }))).toEqual({});
    expect(readNotified(memoryStore({ [NOTIFIED_WAITS_KEY]: "[1,2]" }))).toEqual({});
    expect(readNotified(memoryStore({ [NOTIFIED_WAITS_KEY]: '{"a":1,"b":"x"}' }))).toEqual({ a: 1 });
  });

  it("forgets waits older than a week and keeps at most 500", () => {
    const store = memoryStore();
    claimWait(store, "old", 0);
    claimWait(store, "new", 8 * DAY);
    expect(Object.keys(readNotified(store))).toEqual(["new"]);
    for (let i = 0; i < 600; i++) claimWait(store, `w${i}`, 9 * DAY + i);
    const kept = readNotified(store);
    expect(Object.keys(kept)).toHaveLength(500);
    expect(kept.w599).toBeDefined();
    expect(kept.w0).toBeUndefined();
  });
});
