import { sseEvent } from "./sse";

describe("sseEvent", () => {
  it("frames one event, one data line per line of the payload", () => {
    expect(sseEvent("session", '{"a":1}')).toBe('event: session\ndata: {"a":1}\n\n');
    expect(sseEvent("x", "one\ntwo\r\nthree")).toBe("event: x\ndata: one\ndata: two\ndata: three\n\n");
  });
});
