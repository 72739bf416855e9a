import type { SessionJson, SessionPageJson } from "@pulse/core";
import { compareByActivity, upsertSession } from "./session-order";

/** The sessions list as the client cache holds it: the pages loaded so far and the cursor each was asked with. */
export interface SessionPages {
  pages: SessionPageJson[];
  pageParams: unknown[];
}

/** Every loaded session once, in the API's order (a session is kept where it first appears: the newer page). */
export function sessionsOfPages(data: SessionPages | undefined): SessionJson[] {
  if (!data) return [];
  const seen = new Set<string>();
  const out: SessionJson[] = [];
  for (const page of data.pages) {
    for (const s of page.items) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      out.push(s);
    }
  }
  return out;
}

/** Whether pages beyond the loaded ones exist. */
export const hasMorePages = (data: SessionPages | undefined): boolean => Boolean(data?.pages.at(-1)?.next_cursor);

/**
 * Places one changed session in the loaded pages by the API's filter and order rules: in, moved,
 * or out. A session that sorts beyond the last loaded row, while more pages exist, is left for
 * "Show more" to bring (it belongs to a page not loaded yet). Pages it does not touch keep their
 * identity, and nothing changes at all when the session neither was nor belongs in the list.
 */
export function placeInPages(data: SessionPages, changed: SessionJson, matches: boolean): SessionPages {
  const pages = data.pages;
  const present = pages.some((p) => p.items.some((s) => s.id === changed.id));
  const lastPage = pages.at(-1);
  const last = [...pages]
    .reverse()
    .find((p) => p.items.length > 0)
    ?.items.at(-1);
  const withinLoaded = present || !lastPage?.next_cursor || !last || compareByActivity(changed, last) < 0;
  const keep = withinLoaded && matches;
  if (!present && !keep) return data;

  const next = pages.map((p) =>
    p.items.some((s) => s.id === changed.id) ? { ...p, items: upsertSession(p.items, changed, false) } : p,
  );
  if (keep && next.length > 0) {
    // The first page whose last row sorts after it; else the last page (it is the list's new end).
    let target = next.findIndex(
      (p) => p.items.length > 0 && compareByActivity(changed, p.items[p.items.length - 1]) < 0,
    );
    if (target === -1) target = next.length - 1;
    next[target] = { ...next[target], items: upsertSession(next[target].items, changed, true) };
  }
  return { ...data, pages: next };
}
