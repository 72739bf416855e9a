import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mapOtlpLogs } from "./otlp";
import { shortSessionId } from "./short-id";

const REAL = join(__dirname, "../../../test/fixtures/real");

describe("shortSessionId", () => {
  it("tells apart the real Codex sessions started in the same minute (UUIDv7: time first)", () => {
    const ids = ["body-00240-logs.json", "body-00245-logs.json"].map(
      (f) => mapOtlpLogs(JSON.parse(readFileSync(join(REAL, "codex-0.171.0/otlp", f), "utf8"))).events[0].sessionId,
    );
    expect(ids[0].slice(0, 8)).toBe(ids[1].slice(0, 8)); // what the dashboard used to show for both
    const short = ids.map(shortSessionId);
    expect(short[0]).not.toBe(short[1]);
    expect(short[0]).toBe(`…${ids[0].slice(-8)}`);
  });

  it("tells apart many UUIDv7 ids minted in the same millisecond", () => {
    const ms = Date.UTC(2026, 11, 1).toString(16).padStart(12, "0");
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
    const ids = Array.from(
      { length: 1000 },
      () => `${ms.slice(0, 8)}-${ms.slice(8)}-7${hex(3)}-${"89ab"[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`,
    );
    expect(new Set(ids.map(shortSessionId)).size).toBeGreaterThan(995); // 32 random bits each: a clash among 1000 is ~1 in 10,000
  });

  it("keeps the first 8 characters of ids that are random from the start, and short ids whole", () => {
    expect(shortSessionId("76b58e23-6e97-4460-aeac-268703e063bc")).toBe("76b58e23"); // Gemini, UUIDv4
    expect(shortSessionId("s-live-1a2b3c4d")).toBe("s-live-1");
    expect(shortSessionId("hello")).toBe("hello");
    expect(shortSessionId("")).toBe("");
    expect(shortSessionId("😀😀😀😀😀😀😀😀😀")).toBe("😀😀😀😀😀😀😀😀"); // never cuts a character in half
  });

  it("shows the random tail of ULIDs and UUIDv6 too", () => {
    expect(shortSessionId("01JD8X3Q4M7K2V9B5N6P0R1S2T")).toBe("…6P0R1S2T");
    expect(shortSessionId("1ef8a1b2-3c4d-6e5f-8a9b-0c1d2e3f4a5b")).toBe("…2e3f4a5b");
  });
});
