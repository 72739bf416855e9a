import { waitNotification } from "./wait-notification";

const base = { id: "abcdef1234", project: "acme-api", source: "claude-code", title: "Fix the build" };

describe("waitNotification", () => {
  it("names the project, the agent and what it waits for, with the detail as body", () => {
    expect(waitNotification({ ...base, waiting_reason: "permission", waiting_detail: "Bash: npm test" })).toEqual({
      title: "acme-api · Claude Code waits for permission",
      body: "Bash: npm test",
    });
    expect(waitNotification({ ...base, waiting_reason: "question", waiting_detail: "Which branch?" }).title).toBe(
      "acme-api · Claude Code waits for your answer",
    );
  });

  it("falls back to the session's name without a detail, and says so without a project", () => {
    const n = waitNotification({ ...base, project: null, waiting_reason: "error", waiting_detail: null });
    expect(n).toEqual({ title: "No project · Claude Code waits for you after an API error", body: "Fix the build" });
  });
});
