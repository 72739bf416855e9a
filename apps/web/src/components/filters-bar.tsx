"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { type Filters, filtersToQuery, hasFilters, NO_FILTERS, STATUS_FILTERS, type StatusFilter } from "@/lib/filters";

const TYPING_PAUSE_MS = 300;

/**
 * Status, project, source and free text. The URL holds the state (`/?status=waiting&q=api`), so a
 * filtered view can be bookmarked, shared and reloaded. Works as a plain GET form without script.
 */
export function FiltersBar({
  filters,
  projects,
  sources,
}: {
  filters: Filters;
  projects: string[];
  sources: string[];
}) {
  const router = useRouter();
  const [draft, setDraft] = useState(filters);
  const [pending, startTransition] = useTransition();
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** The URLs this form asked for and that have not landed yet, oldest first. */
  const applied = useRef<string[]>([]);

  // Back/forward or a KPI link changed the URL: show what it says. A URL this form set itself is
  // ignored, so letters typed while it loaded are kept; that includes an earlier one landing late,
  // after the typing pause already asked for the next (under load a navigation takes seconds).
  const urlQuery = filtersToQuery(filters);
  useEffect(() => {
    const mine = applied.current.indexOf(urlQuery);
    if (mine !== -1) applied.current = applied.current.slice(mine + 1);
    else {
      applied.current = [];
      setDraft(filters);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the query string, not the object
  }, [urlQuery]);
  useEffect(() => () => clearTimeout(typing.current), []);

  const apply = (next: Filters) => {
    clearTimeout(typing.current);
    const query = filtersToQuery(next);
    applied.current = [...applied.current, query];
    startTransition(() => router.replace(query ? `/?${query}` : "/", { scroll: false }));
  };
  const change = (patch: Partial<Filters>, debounce = false) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    clearTimeout(typing.current);
    if (debounce) typing.current = setTimeout(() => apply(next), TYPING_PAUSE_MS);
    else apply(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };

  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter sessions"
      method="get"
      action="/"
      onSubmit={submit}
      aria-busy={pending}
    >
      <label className="field">
        <span>Status</span>
        <select name="status" value={draft.status} onChange={(e) => change({ status: e.target.value as StatusFilter })}>
          {Object.entries(STATUS_FILTERS).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Project</span>
        <input
          name="project"
          list="known-projects"
          value={draft.project}
          placeholder="any"
          onChange={(e) => change({ project: e.target.value }, true)}
          autoComplete="off"
        />
        <datalist id="known-projects">
          {projects.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>Source</span>
        <input
          name="source"
          list="known-sources"
          value={draft.source}
          placeholder="any"
          onChange={(e) => change({ source: e.target.value }, true)}
          autoComplete="off"
        />
        <datalist id="known-sources">
          {sources.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <label className="field field-grow">
        <span>Search</span>
        <input
          name="q"
          type="search"
          value={draft.q}
          placeholder="title, project, folder, host or id"
          onChange={(e) => change({ q: e.target.value }, true)}
        />
      </label>
      <div className="filter-actions">
        <button type="submit" className="button">
          Filter
        </button>
        {hasFilters(draft) ? (
          <button type="button" className="button button-quiet" onClick={() => change(NO_FILTERS)}>
            Clear
          </button>
        ) : null}
        {pending ? (
          <span className="muted" role="status">
            Loading…
          </span>
        ) : null}
      </div>
    </form>
  );
}
