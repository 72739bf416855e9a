import { AGENTS } from "@pulse/core/agents";
import { AGENT_SOURCES, sessionName, sourceLabel, statusDetail, waitingReasonLabel } from "./labels";

describe("labels", () => {
  it("names every agent as its adapter does, and offers each in the source filter", () => {
    for (const agent of Object.values(AGENTS)) expect(sourceLabel(agent.id)).toBe(agent.label);
    expect(AGENT_SOURCES).toEqual(Object.keys(AGENTS));
    expect(sourceLabel("otel")).toBe("OpenTelemetry");
    expect(sourceLabel("my-agent")).toBe("my-agent");
    expect(sourceLabel("__proto__")).toBe("__proto__");
  });

  it("says every waiting reason of the lifecycle in words", () => {
    expect(["permission", "question", "error", "interrupted", "idle", "turn_end"].map(waitingReasonLabel)).toEqual([
      "permission",
      "question",
      "API error",
      "interrupted",
      "idle",
      "turn ended",
    ]);
    expect(waitingReasonLabel("some_new_reason")).toBe("some new reason");
    expect(statusDetail({ status: "waiting", waiting_reason: "interrupted", end_reason: null })).toBe("interrupted");
  });

  it("names an untitled Codex session by the part of its UUIDv7 that differs", () => {
    const a = sessionName({ title: null, id: "01a2335f-bdbf-7423-900b-61b1c4e95aa6" });
    const b = sessionName({ title: null, id: "01a2335f-cb57-79e2-8ec7-91859630b61c" });
    expect(a).toBe("Session …c4e95aa6");
    expect(b).not.toBe(a);
    expect(sessionName({ title: "Fix the build", id: "x" })).toBe("Fix the build");
  });
});
