import { isLoopbackHost, isValidLoginCookie, isValidToken, safeNextPath, loginCookieValue } from "./auth";

describe("auth", () => {
  it("accepts only loopback host names when the dashboard has no token", () => {
    for (const host of ["localhost:6821", "127.0.0.1:6821", "127.0.0.1", "[::1]:6821", "pulse.localhost"])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["192.168.1.10:6821", "pulse.example.com", "localhost.evil.com", "127.0.0.1.nip.io", null])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it("derives the cookie from the token without containing it, and checks both in constant time", () => {
    const cookie = loginCookieValue("s3cret-token");
    expect(cookie).not.toContain("s3cret");
    expect(isValidLoginCookie(cookie, "s3cret-token")).toBe(true);
    expect(isValidLoginCookie(cookie, "other-token")).toBe(false);
    expect(isValidLoginCookie(undefined, "s3cret-token")).toBe(false);
    expect(isValidToken("s3cret-token", "s3cret-token")).toBe(true);
    expect(isValidToken("s3cret-token ", "s3cret-token")).toBe(false);
  });

  it("returns after login only to a path on this site", () => {
    expect(safeNextPath("/sessions/x?y=1")).toBe("/sessions/x?y=1");
    for (const next of ["//evil.example", "https://evil.example", "/\\evil.example", "", null])
      expect(safeNextPath(next)).toBe("/");
  });

  it("reads next the way a browser reads a Location header, so no spelling of another host gets through", () => {
    const offSite = [
      "/\t/127.0.0.2:18001/phish", // the issue's: browsers drop the tab and go to //127.0.0.2:18001
      "/\n/evil.example",
      "/\r\n/evil.example",
      "\t//evil.example",
      " //evil.example",
      "\u0000//evil.example",
      "\\\\evil.example",
      "\\/evil.example",
      "/\\/evil.example",
      "/./\\evil.example",
      "/.//evil.example",
      "/..//evil.example",
      "/x/..//evil.example",
      "///evil.example",
      "https:evil.example",
      "https:/evil.example",
      "ftp://evil.example/",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "http://user:pass@pulse.invalid/",
      "//pulse.invalid@evil.example",
      "http://[::1]/x",
    ];
    for (const next of offSite) expect([next, safeNextPath(next)]).toEqual([next, "/"]);
    // Same site, but made safe to put in a Location header: re-serialised, percent-encoded.
    expect(safeNextPath("/sessions/a b?q=x y#h")).toBe("/sessions/a%20b?q=x%20y#h");
    expect(safeNextPath("/sessions/x\ny")).toBe("/sessions/xy");
    expect(safeNextPath("/%0a")).toBe("/%0a");
    expect(safeNextPath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(safeNextPath("/sessions/é")).toBe("/sessions/%C3%A9");
    expect(safeNextPath("/a/../sessions/./x")).toBe("/sessions/x");
    expect(safeNextPath("sessions/x")).toBe("/sessions/x");
  });
});
