import { maskSecretUrl } from "./mask-secret";

describe("maskSecretUrl", () => {
  it("keeps the scheme, the host and the last 4 characters of a Slack webhook, never its secret path", () => {
    const url = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTx9Qz";
    const masked = maskSecretUrl(url);
    expect(masked).toBe("https://hooks.slack.com/…x9Qz");
    for (const part of ["services", "T0123ABCD", "B0456EFGH", "aBcDeFgHiJkLmNoPqRs"])
      expect(masked).not.toContain(part);
  });

  it("hides a Discord webhook's id and token and an ntfy topic", () => {
    expect(maskSecretUrl("https://discord.com/api/webhooks/123456789012345678/tok-en_SECRET-value")).toBe(
      "https://discord.com/…alue",
    );
    expect(maskSecretUrl("https://ntfy.sh/pulse-alerts-7f3a9c")).toBe("https://ntfy.sh/…3a9c");
  });

  it("keeps the port, drops user info, and hides the query and fragment like the path", () => {
    const masked = maskSecretUrl("http://user:hunter2@127.0.0.1:8080/hook?key=SECRETKEY123#frag");
    expect(masked).toBe("http://127.0.0.1:8080/…frag");
    expect(masked).not.toContain("hunter2");
    expect(masked).not.toContain("user");
    expect(masked).not.toContain("SECRETKEY");
  });

  it("shows none of a path too short to keep 8 characters hidden", () => {
    expect(maskSecretUrl("https://example.com/abcdefghijk")).toBe("https://example.com/…");
    expect(maskSecretUrl("https://example.com/abcdefghijkl")).toBe("https://example.com/…ijkl");
    expect(maskSecretUrl("https://example.com/x")).toBe("https://example.com/…");
  });

  it("says nothing is hidden when there is no path, and shows nothing of what is not a URL", () => {
    expect(maskSecretUrl("https://example.com")).toBe("https://example.com/");
    expect(maskSecretUrl("https://example.com/")).toBe("https://example.com/");
    expect(maskSecretUrl("not a url with a secret")).toBe("…");
  });
});
