import { keyOf, LOGIN_FAILURES_ALLOWED, LoginAttempts } from "./login-attempts";

describe("LoginAttempts", () => {
  it("lets an address try LOGIN_FAILURES_ALLOWED wrong tokens, then makes it wait about the window", async () => {
    const attempts = new LoginAttempts();
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED - 1; i++) {
      await attempts.failed("192.0.2.7");
      expect(await attempts.waitFor("192.0.2.7")).toBe(0);
    }
    await attempts.failed("192.0.2.7");
    const wait = await attempts.waitFor("192.0.2.7");
    expect(wait).toBeGreaterThan(9 * 60_000);
    expect(wait).toBeLessThanOrEqual(10 * 60_000);
    // More tries while waiting keep it waiting; other addresses are not affected.
    await attempts.failed("192.0.2.7");
    expect(await attempts.waitFor("192.0.2.7")).toBeGreaterThan(9 * 60_000);
    expect(await attempts.waitFor("192.0.2.8")).toBe(0);
  });

  it("forgets an address's wrong tokens once it logs in", async () => {
    const attempts = new LoginAttempts();
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED - 1; i++) await attempts.failed("::1");
    await attempts.succeeded("::1");
    await attempts.failed("::1");
    expect(await attempts.waitFor("::1")).toBe(0);
  });

  it("counts an IPv6 /64 as one address, and IPv4-mapped IPv6 as its IPv4 address", async () => {
    expect(keyOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(keyOf("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(keyOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(keyOf("fe80::1")).toBe("fe80:0:0:0::/64");
    expect(keyOf("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(keyOf("203.0.113.9")).toBe("203.0.113.9");
    const attempts = new LoginAttempts();
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) await attempts.failed(`2001:db8:1:2::${i + 1}`);
    expect(await attempts.waitFor("2001:db8:1:2:ffff::9")).toBeGreaterThan(0);
    expect(await attempts.waitFor("2001:db8:1:3::1")).toBe(0);
  });
});
