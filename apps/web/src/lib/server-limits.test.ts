import { toOriginForm } from "./server-limits";

describe("toOriginForm", () => {
  it("keeps a path as it is", () => {
    expect(toOriginForm("/sessions/x?status=waiting")).toEqual({ url: "/sessions/x?status=waiting" });
    expect(toOriginForm("//evil.example/x")).toEqual({ url: "//evil.example/x" });
  });

  it("makes an absolute-form target its path, with the authority as the Host (no redirect to it)", () => {
    expect(toOriginForm("http://evil.example/phish?x=1")).toEqual({ url: "/phish?x=1", host: "evil.example" });
    expect(toOriginForm("HTTP://127.0.0.1:6821/api/sessions")).toEqual({
      url: "/api/sessions",
      host: "127.0.0.1:6821",
    });
    expect(toOriginForm("https://user:pw@localhost:6821")).toEqual({ url: "/", host: "localhost:6821" });
    expect(toOriginForm("http://localhost/a/../api/%73essions")).toEqual({ url: "/api/%73essions", host: "localhost" });
  });

  it("refuses what is neither: the asterisk form, an authority, another scheme, garbage", () => {
    for (const target of ["*", "127.0.0.1:6821", "ftp://localhost/x", "javascript:alert(1)", "http://[bad/x", ""])
      expect([target, toOriginForm(target)]).toEqual([target, null]);
  });
});
