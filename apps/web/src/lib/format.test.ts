import {
  formatAgo,
  formatCost,
  formatCostWithEstimate,
  formatDuration,
  formatEstimate,
  formatGap,
  formatTokens,
  localMidnightIso,
} from "./format";

describe("format", () => {
  it("writes durations a person reads at a glance", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(999)).toBe("0 s");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(12 * 60_000 + 3_000)).toBe("12 min 03 s");
    expect(formatDuration(3_600_000 + 5 * 60_000)).toBe("1 h 05 min");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe("2 d 3 h");
    expect(formatDuration(-5)).toBe("0 s");
  });

  it("writes relative times", () => {
    expect(formatAgo(400)).toBe("just now");
    expect(formatAgo(12_000)).toBe("12 s ago");
    expect(formatAgo(5 * 60_000)).toBe("5 min ago");
    expect(formatAgo(3 * 3_600_000)).toBe("3 h ago");
    expect(formatAgo(-1000)).toBe("just now");
    expect(formatGap(3_000)).toBe("+3 s");
  });

  it("writes tokens and cost", () => {
    expect(formatTokens(812)).toBe("812");
    expect(formatTokens(12_400)).toBe("12.4K");
    expect(formatTokens(undefined)).toBe("—");
    expect(formatCost(0.004)).toBe("<$0.01");
    expect(formatCost(12.3)).toBe("$12.30");
    expect(formatCost(0)).toBe("$0.00");
  });

  it("marks an estimate as one and never adds it to a reported cost", () => {
    expect(formatEstimate(0.123)).toBe("≈ $0.12 est.");
    expect(formatEstimate(0.004)).toBe("≈ <$0.01 est.");
    expect(formatEstimate(null)).toBe("—");
    expect(formatCostWithEstimate(0.42, 0.12)).toBe("$0.42 + ≈ $0.12 est.");
    expect(formatCostWithEstimate(0, 0.12)).toBe("≈ $0.12 est.");
    expect(formatCostWithEstimate(0.42, 0)).toBe("$0.42");
    expect(formatCostWithEstimate(0, 0)).toBe("$0.00");
  });

  it("finds local midnight", () => {
    const midnight = new Date(localMidnightIso(new Date(2026, 10, 21, 15, 30).getTime()));
    expect([midnight.getHours(), midnight.getMinutes(), midnight.getDate()]).toEqual([0, 0, 21]);
  });
});
