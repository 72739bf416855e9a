import type { SessionJson } from "@pulse/core";

/** The projects among the loaded sessions, sorted: the project field's suggestions. */
export function projectsOf(sessions: readonly SessionJson[]): string[] {
  return [...new Set(sessions.map((s) => s.project).filter((p): p is string => !!p))].sort();
}

/** The agents Pulse knows plus any other source among the loaded sessions, sorted: the source field's suggestions. */
export function sourcesOf(sessions: readonly SessionJson[], known: readonly string[]): string[] {
  return [...new Set([...known, ...sessions.map((s) => s.source)])].sort();
}
