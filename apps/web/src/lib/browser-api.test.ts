import { sessionsSearch } from "./browser-api";
import { NO_FILTERS } from "./filters";

describe("sessionsSearch", () => {
  it("spells the filters as the API does, with the page size and cursor", () => {
    expect(
      sessionsSearch({ status: "open", project: "acme", source: "codex", q: "a b" }, { limit: 100, cursor: "xyz" }),
    ).toBe("status=active%2Cwaiting&project=acme&source=codex&q=a+b&limit=100&cursor=xyz");
  });

  it("leaves out what is not filtered, and a missing cursor", () => {
    expect(sessionsSearch(NO_FILTERS, { limit: 100, cursor: null })).toBe("limit=100");
  });
});
