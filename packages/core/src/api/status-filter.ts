/**
 * The `status` filter of `GET /v1/sessions`, as ingest reads it and as the CLI checks `--status`
 * before asking: a comma list of statuses, with `open` for working or waiting. Without zod (the
 * CLI and the typed client load this at run time).
 */
import type { SessionStatus } from "../lifecycle";

const STATUSES: readonly SessionStatus[] = ["active", "waiting", "ended"];
/** `open` means working or waiting: the dashboard's and the CLI's "open" filter, said once here. */
export const STATUS_ALIASES: Readonly<Record<string, readonly SessionStatus[]>> = { open: ["active", "waiting"] };
const WORDS = `${STATUSES.join(", ")} or ${Object.keys(STATUS_ALIASES).join(", ")}`;

/** A comma list of statuses and aliases → the distinct statuses, or a message naming the unknown word. */
export function parseStatusList(
  value: string,
): { ok: true; statuses: SessionStatus[] } | { ok: false; message: string } {
  const wanted = new Set<SessionStatus>();
  for (const word of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const statuses = Object.hasOwn(STATUS_ALIASES, word)
      ? STATUS_ALIASES[word]
      : STATUSES.includes(word as SessionStatus)
        ? [word as SessionStatus]
        : null;
    if (!statuses) return { ok: false, message: `unknown status "${word.slice(0, 64)}"; use ${WORDS}` };
    for (const status of statuses) wanted.add(status);
  }
  return { ok: true, statuses: [...wanted] };
}

export const STATUS_FILTER_HELP = `Comma-separated: ${WORDS} (open = active,waiting)`;
