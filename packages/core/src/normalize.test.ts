import { buildEvent, describeZodError, eventInputSchema, mapEventInput } from "./normalize";
import { capPayload, PAYLOAD_CAP_BYTES } from "./payload";
import { projectFromCwd } from "./text";
import { MAX_CLOCK_SKEW_MS, parseEventTime } from "./time";
import { z } from "zod";

describe("parseEventTime", () => {
  it.each([
    ["2026-11-21T10:02:14.512Z", Date.UTC(2026, 10, 21, 10, 2, 14, 512)],
    ["2026-11-21T11:02:14+01:00", Date.UTC(2026, 10, 21, 10, 2, 14)],
    ["1763719334512", 1763719334512],
    [1763719334512, 1763719334512],
  ])("accepts %j", (input, ms) => {
    expect(parseEventTime(input)).toEqual({ ok: true, ms });
  });

  it.each([
    ["yesterday"],
    ["2026-11-21 10:02"],
    ["2026-11-21T10:02:14"],
    [1763719334],
    [""],
    [null],
    [{}],
    [Number.NaN],
  ])("rejects %j with a reason", (input) => {
    const parsed = parseEventTime(input);
    expect(parsed.ok).toBe(false);
  });

  it("says epoch seconds are the likely mistake", () => {
    expect(parseEventTime(1763719334)).toMatchObject({ ok: false, message: expect.stringMatching(/milliseconds/) });
  });
});

describe("buildEvent", () => {
  const received = Date.UTC(2026, 10, 21, 12, 0, 0);
  const mapped = mapEventInput(eventInputSchema.parse({ session_id: "s", source: "custom", kind: "tool" }));

  it("uses the client's time, the receipt time when absent, and clamps a far-future time", () => {
    const base = { key: "k", receivedMs: received, host: null };
    expect(buildEvent({ session_id: "s", source: "x" }, mapped, { ...base, stampedMs: received - 5000 }, {}).time).toBe(
      new Date(received - 5000).toISOString(),
    );
    expect(buildEvent({ session_id: "s", source: "x" }, mapped, base, {}).time).toBe(new Date(received).toISOString());
    expect(
      buildEvent({ session_id: "s", source: "x" }, mapped, { ...base, stampedMs: received + MAX_CLOCK_SKEW_MS - 1 }, {})
        .time,
    ).toBe(new Date(received + MAX_CLOCK_SKEW_MS - 1).toISOString());
    expect(
      buildEvent({ session_id: "s", source: "x" }, mapped, { ...base, stampedMs: received + 3_600_000 }, {}).time,
    ).toBe(new Date(received).toISOString());
  });

  it("derives the project from the cwd unless given, and falls back to the delivery's host", () => {
    const e = buildEvent(
      { session_id: "s", source: "x", cwd: "/home/dev/acme-api/" },
      mapped,
      { key: "k", receivedMs: received, host: "box" },
      {},
    );
    expect(e).toMatchObject({ project: "acme-api", host: "box" });
    expect(
      buildEvent(
        { session_id: "s", source: "x", cwd: "/a/b", project: "given", host: "h" },
        mapped,
        { key: "k", receivedMs: received, host: "box" },
        {},
      ),
    ).toMatchObject({ project: "given", host: "h" });
  });
});

describe("eventInputSchema", () => {
  it("names the field at fault", () => {
    const batch = z.array(eventInputSchema);
    const result = batch.safeParse([
      { session_id: "s", source: "x", kind: "tool" },
      { session_id: "s", source: "x" },
    ]);
    expect(result.success).toBe(false);
    expect(describeZodError(result.error!)).toBe("[1].kind: is required");
    const bad = eventInputSchema.safeParse({ session_id: "s", source: "x", kind: "nap" });
    expect(describeZodError(bad.error!)).toMatch(/^kind: must be one of start, prompt/);
    const time = eventInputSchema.safeParse({ session_id: "s", source: "x", kind: "tool", time: "soon" });
    expect(describeZodError(time.error!)).toMatch(/^time: must be an ISO-8601/);
  });

  it("maps end and attention reasons with defaults", () => {
    expect(mapEventInput(eventInputSchema.parse({ session_id: "s", source: "x", kind: "end" }))).toMatchObject({
      end_reason: "session_end",
    });
    expect(
      mapEventInput(
        eventInputSchema.parse({
          session_id: "s",
          source: "x",
          kind: "end",
          end_reason: "process_exit",
          end_detail: "exit 3",
        }),
      ),
    ).toMatchObject({ end_reason: "process_exit", end_detail: "exit 3" });
    expect(mapEventInput(eventInputSchema.parse({ session_id: "s", source: "x", kind: "attention" }))).toMatchObject({
      waiting_reason: "attention",
    });
    expect(eventInputSchema.safeParse({ session_id: "s", source: "x", kind: "end", end_reason: "stale" }).success).toBe(
      false,
    );
  });
});

describe("capPayload and projectFromCwd", () => {
  it("keeps payloads up to 64 KiB and truncates (marked) beyond", () => {
    const small = { a: "x".repeat(1000) };
    expect(capPayload(small)).toEqual({ payload: small, truncated: false });
    const big = { a: "é".repeat(PAYLOAD_CAP_BYTES) };
    const capped = capPayload(big);
    expect(capped.truncated).toBe(true);
    expect(typeof capped.payload).toBe("string");
    expect(Buffer.byteLength(capped.payload as string)).toBeLessThanOrEqual(PAYLOAD_CAP_BYTES);
  });

  it.each([
    ["/home/dev/acme-api", "acme-api"],
    ["/home/dev/acme-api/", "acme-api"],
    ["C:\\Users\\dev\\billing-svc", "billing-svc"],
    ["/", null],
    ["", null],
  ])("%s → %s", (cwd, project) => {
    expect(projectFromCwd(cwd)).toBe(project);
  });
});
