import { agentLabel, boundedLabel, channelTypeLabel, MAX_OTHER_AGENTS, OTHER, reasonLabel } from "./labels";

describe("boundedLabel", () => {
  it("keeps the known values and the most frequent others up to the cap, and folds the rest and null into other", () => {
    const label = boundedLabel(
      [
        ["a", 5],
        ["b", 1],
        ["c", 3],
        ["known", 0],
        [null, 9],
      ],
      ["known"],
      2,
    );
    expect(["known", "a", "c", "b", null, "never-seen"].map(label)).toEqual(["known", "a", "c", OTHER, OTHER, OTHER]);
  });

  it("adds up a value's counts over its rows, and breaks ties by name (the same data keeps the same labels)", () => {
    const label = boundedLabel(
      [
        ["z", 2],
        ["y", 2],
        ["x", 1],
        ["x", 2],
      ],
      [],
      2,
    );
    expect(["x", "y", "z"].map(label)).toEqual(["x", "y", OTHER]);
  });

  it("caps agents: claude-code, codex and gemini always, then the most frequent others", () => {
    const others = Array.from({ length: MAX_OTHER_AGENTS + 5 }, (_, i) => [`agent-${i}`, 100 - i] as const);
    const label = agentLabel([...others, ["codex", 1]]);
    const labels = new Set([...others.map(([name]) => label(name)), label("claude-code"), label("gemini")]);
    expect(labels.size).toBe(MAX_OTHER_AGENTS + 3);
    expect(label("gemini")).toBe("gemini");
    expect(label(`agent-${MAX_OTHER_AGENTS - 1}`)).toBe(`agent-${MAX_OTHER_AGENTS - 1}`);
    expect(label(`agent-${MAX_OTHER_AGENTS}`)).toBe(OTHER);
  });
});

it("reasons and channel types outside the known ones are other", () => {
  expect([reasonLabel("permission"), reasonLabel("turn_end"), reasonLabel("made-up"), reasonLabel(null)]).toEqual([
    "permission",
    "turn_end",
    OTHER,
    OTHER,
  ]);
  expect([channelTypeLabel("slack"), channelTypeLabel("carrier-pigeon")]).toEqual(["slack", OTHER]);
});
