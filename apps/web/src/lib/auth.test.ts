import { isLoopbackHost, isValidSessionCookie, isValidToken, safeNextPath, sessionCookieValue } from "./auth";

describe("auth", () => {
  it("accepts only loopback host names when the dashboard has no token", () => {
    for (const host of ["localhost:6821", "127.0.0.1:6821", "127.0.0.1", "[::1]:6821", "pulse.localhost"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["192.168.1.10:6821", "pulse.example.com", "localhost.evil.com", "127.0.0.1.nip.io", null]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("derives the cookie from the token without containing it, and checks both in constant time", () => {
    const cookie = sessionCookieValue("s3cret-token");
    expect(cookie).not.toContain("s3cret");
    expect(isValidSessionCookie(cookie, "s3cret-token")).toBe(true);
    expect(isValidSessionCookie(cookie, "other-token")).toBe(false);
    expect(isValidSessionCookie(undefined, "s3cret-token")).toBe(false);
    expect(isValidToken("s3cret-token", "s3cret-token")).toBe(true);
    expect(isValidToken("s3cret-token ", "s3cret-token")).toBe(false);
  });

  it("returns after login only to a path on this site", () => {
    expect(safeNextPath("/sessions/x?y=1")).toBe("/sessions/x?y=1");
    for (const next of ["//evil.example", "https://evil.example", "/\\evil.example", "", null]) expect(safeNextPath(next)).toBe("/");
  });
});
