import { inQuietHours } from "./quiet-hours";

const utc = (hh: number, mm = 0) => Date.UTC(2026, 11, 2, hh, mm);

describe("quiet hours", () => {
  it("are off when none are set, or when start equals end", () => {
    expect(inQuietHours(utc(3), null)).toBe(false);
    expect(inQuietHours(utc(3), { start: "03:00", end: "03:00", timeZone: "UTC" })).toBe(false);
  });

  it("cover a daytime range from its start (inclusive) to its end (exclusive)", () => {
    const q = { start: "12:00", end: "13:30", timeZone: "UTC" };
    expect(inQuietHours(utc(11, 59), q)).toBe(false);
    expect(inQuietHours(utc(12, 0), q)).toBe(true);
    expect(inQuietHours(utc(13, 29), q)).toBe(true);
    expect(inQuietHours(utc(13, 30), q)).toBe(false);
  });

  it("run overnight when the end is before the start", () => {
    const q = { start: "22:00", end: "07:00", timeZone: "UTC" };
    expect(inQuietHours(utc(21, 59), q)).toBe(false);
    expect(inQuietHours(utc(22, 0), q)).toBe(true);
    expect(inQuietHours(utc(23, 59), q)).toBe(true);
    expect(inQuietHours(utc(0, 0), q)).toBe(true);
    expect(inQuietHours(utc(6, 59), q)).toBe(true);
    expect(inQuietHours(utc(7, 0), q)).toBe(false);
    expect(inQuietHours(utc(12, 0), q)).toBe(false);
  });

  it("are read on the wall clock of their time zone, daylight saving included", () => {
    const q = { start: "22:00", end: "07:00", timeZone: "America/New_York" };
    // December: New York is UTC-5. 02:30 UTC = 21:30 there; 03:30 UTC = 22:30 there.
    expect(inQuietHours(Date.UTC(2026, 11, 2, 2, 30), q)).toBe(false);
    expect(inQuietHours(Date.UTC(2026, 11, 2, 3, 30), q)).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 11, 2, 11, 59), q)).toBe(true); // 06:59
    expect(inQuietHours(Date.UTC(2026, 11, 2, 12, 0), q)).toBe(false); // 07:00
    // July: UTC-4. 02:30 UTC = 22:30 there.
    expect(inQuietHours(Date.UTC(2026, 6, 2, 2, 30), q)).toBe(true);
    // Kolkata is UTC+5:30: 16:45 UTC = 22:15 there.
    expect(inQuietHours(Date.UTC(2026, 11, 2, 16, 45), { ...q, timeZone: "Asia/Kolkata" })).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 11, 2, 16, 15), { ...q, timeZone: "Asia/Kolkata" })).toBe(false);
  });

  it("read an unknown time zone as UTC rather than throwing", () => {
    const q = { start: "22:00", end: "07:00", timeZone: "Mars/Olympus" };
    expect(inQuietHours(utc(23), q)).toBe(true);
    expect(inQuietHours(utc(12), q)).toBe(false);
  });
});
