import { unifiedDiff } from "./text-diff";

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\n", "a\n", { from: "x", to: "y" })).toBe("");
  });

  it("shows changed lines with context and hunk headers", () => {
    const before = ["{", '  "a": 1,', '  "b": 2', "}"].join("\n") + "\n";
    const after = ["{", '  "a": 1,', '  "b": 2,', '  "c": 3', "}"].join("\n") + "\n";
    expect(unifiedDiff(before, after, { from: "f (now)", to: "f (after)" })).toBe(
      [
        "--- f (now)",
        "+++ f (after)",
        "@@ -1,4 +1,5 @@",
        " {",
        '   "a": 1,',
        '-  "b": 2',
        '+  "b": 2,',
        '+  "c": 3',
        " }",
        "",
      ].join("\n"),
    );
  });

  it("diffs a new file against nothing", () => {
    expect(unifiedDiff("", "{}\n", { from: "a", to: "b" })).toBe(
      ["--- a", "+++ b", "@@ -0,0 +1,1 @@", "+{}", ""].join("\n"),
    );
  });

  it("splits far-apart changes into separate hunks", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const changed = [...lines];
    changed[1] = "X";
    changed[18] = "Y";
    const diff = unifiedDiff(lines.join("\n"), changed.join("\n"), { from: "a", to: "b" });
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain("@@ -1,5 +1,5 @@");
    expect(diff).toContain("@@ -16,5 +16,5 @@");
  });
});
