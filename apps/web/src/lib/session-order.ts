import type { SessionJson } from "@pulse/core";

const lastEventMs = (s: SessionJson) => (s.last_event_at ? Date.parse(s.last_event_at) : 0);

/** The API's order: newest activity first, ties by id descending. */
export function compareByActivity(a: SessionJson, b: SessionJson): number {
  const diff = lastEventMs(b) - lastEventMs(a);
  if (diff !== 0) return diff;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Puts a changed session into a sorted list: replaced when present, dropped when it no longer matches. */
export function upsertSession(list: readonly SessionJson[], changed: SessionJson, keep: boolean): SessionJson[] {
  const rest = list.filter((s) => s.id !== changed.id);
  if (!keep) return rest.length === list.length ? (list as SessionJson[]) : rest;
  const index = rest.findIndex((s) => compareByActivity(changed, s) < 0);
  if (index === -1) rest.push(changed);
  else rest.splice(index, 0, changed);
  return rest;
}

export interface ProjectGroup {
  project: string | null;
  sessions: SessionJson[];
}

/** Groups sessions by project, keeping the list's order: the group with the newest activity first. */
export function groupByProject(sessions: readonly SessionJson[]): ProjectGroup[] {
  const groups = new Map<string | null, SessionJson[]>();
  for (const s of sessions) {
    const list = groups.get(s.project);
    if (list) list.push(s);
    else groups.set(s.project, [s]);
  }
  return [...groups].map(([project, list]) => ({ project, sessions: list }));
}
