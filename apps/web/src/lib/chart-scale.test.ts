import { integerTicks, niceMax, stackedAreaPaths } from "./chart-scale";

describe("chart scale", () => {
  it("rounds the y axis up to 1, 2, 5 × 10^n", () => {
    expect([0, 1, 3, 7, 11, 180].map(niceMax)).toEqual([1, 1, 5, 10, 20, 200]);
    expect(integerTicks(1)).toEqual([0, 1]);
    expect(integerTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(integerTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(integerTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(integerTicks(200)).toEqual([0, 50, 100, 150, 200]);
  });

  it("stacks the top area on the bottom one", () => {
    const { bottom, top } = stackedAreaPaths(
      [
        { x: 0, a: 1, b: 2 },
        { x: 10, a: 0, b: 1 },
      ],
      (v) => 100 - v,
    );
    expect(bottom).toBe("M0.0,99.0 L10.0,100.0 L10.0,100.0 L0.0,100.0 Z");
    expect(top).toBe("M0.0,97.0 L10.0,99.0 L10.0,100.0 L0.0,99.0 Z");
  });
});
