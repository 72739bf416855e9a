import { parseResponse } from "./plain-http";

const b = (text: string) => Buffer.from(text, "latin1");

describe("parseResponse", () => {
  it("reads status, headers and a Content-Length body, and waits for the rest of it", () => {
    const full = 'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"accepted":1}';
    expect(parseResponse(b(full), false)).toEqual({
      status: 202,
      headers: { "content-type": "application/json", "content-length": "14" },
      body: '{"accepted":1}',
    });
    expect(parseResponse(b(full.slice(0, -3)), false)).toBeNull();
    expect(parseResponse(b("HTTP/1.1 202 Accepted\r\nContent-Le"), false)).toBeNull();
  });

  it("decodes a chunked body once the last chunk is in", () => {
    const head = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect(parseResponse(b(head + "5\r\nhello\r\n"), false)).toBeNull();
    expect(parseResponse(b(head + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), false)).toMatchObject({
      status: 503,
      body: "hello world",
    });
  });

  it("takes a body without length up to the connection's end", () => {
    const text = "HTTP/1.0 200 OK\r\n\r\nplain";
    expect(parseResponse(b(text), false)).toBeNull();
    expect(parseResponse(b(text), true)).toMatchObject({ status: 200, body: "plain" });
  });

  it("returns null for something that is not HTTP", () => {
    expect(parseResponse(b("SSH-2.0-OpenSSH_9.2\r\n\r\n"), true)).toBeNull();
  });

  it("keeps UTF-8 bodies intact", () => {
    const body = Buffer.from('{"message":"déjà vu ✓"}', "utf8");
    const data = Buffer.concat([b(`HTTP/1.1 400 Bad Request\r\ncontent-length: ${body.length}\r\n\r\n`), body]);
    expect(parseResponse(data, false)?.body).toBe('{"message":"déjà vu ✓"}');
  });
});
