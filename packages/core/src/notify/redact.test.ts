import { redactSecrets } from "./redact";

describe("redactSecrets", () => {
  const url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
  it("removes a URL whole, its path quoted alone, and a token", () => {
    expect(redactSecrets(`request to ${url} failed`, [url])).toBe("request to [redacted] failed");
    expect(redactSecrets("POST /services/T000/B000/XXXXSECRET 404", [url])).toBe("POST [redacted] 404");
    expect(redactSecrets("bad token tk_abcdef123 given", [url, "tk_abcdef123"])).toBe("bad token [redacted] given");
  });
  it("keeps the host (it says where, not how to get in) and text without secrets", () => {
    expect(redactSecrets("connect ECONNREFUSED hooks.slack.com:443", [url, null])).toBe(
      "connect ECONNREFUSED hooks.slack.com:443",
    );
  });
  it("removes a query string that carries the secret", () => {
    const u = "http://127.0.0.1:9/hook?key=s3cr3tvalue";
    expect(redactSecrets("got key=s3cr3tvalue back", [u])).toBe("got [redacted] back");
  });
});
