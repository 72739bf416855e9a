import type { SessionJson } from "@pulse/core";
import { projectsOf, sourcesOf } from "./facets";

const s = (project: string | null, source: string) => ({ project, source }) as SessionJson;

describe("facets", () => {
  it("suggests each project once, sorted, without the sessions that have none", () => {
    expect(projectsOf([s("web", "a"), s(null, "a"), s("api", "a"), s("web", "b")])).toEqual(["api", "web"]);
  });

  it("suggests the known agents and any other source seen, once each, sorted", () => {
    expect(sourcesOf([s("p", "curl"), s("p", "codex")], ["codex", "claude-code"])).toEqual([
      "claude-code",
      "codex",
      "curl",
    ]);
  });
});
