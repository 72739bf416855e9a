import { throttle } from "./throttle";

describe("throttle", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("runs at once when idle, then once more at the end of the window for a burst", () => {
    const fn = jest.fn();
    const t = throttle(fn, 1000);
    t.run();
    expect(fn).toHaveBeenCalledTimes(1);
    t.run();
    t.run();
    t.run();
    expect(fn).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("waits a window first when the data is fresh, and can be cancelled", () => {
    const fn = jest.fn();
    const t = throttle(fn, 1000, { justRan: true });
    t.run();
    expect(fn).not.toHaveBeenCalled();
    t.cancel();
    jest.advanceTimersByTime(2000);
    expect(fn).not.toHaveBeenCalled();
  });
});
