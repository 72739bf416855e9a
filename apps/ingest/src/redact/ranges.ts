import { placeholder } from "./placeholder";

/** A span of a string some rule says is secret. */
export interface Found {
  start: number;
  end: number;
  kind: string;
  /** Which kind names a span two rules both found: a vendor's (`github`) over a generic one (`token`). */
  priority: number;
}

export const PRIORITY = { vendor: 3, structure: 2, generic: 1 } as const;

/** Characters a token is made of: a span never ends (or starts) inside a run of them. */
const TOKEN_CHAR_RIGHT = /[A-Za-z0-9+/=_-]/;
/** `=` ends a name (`url=https://…`), never starts a token. */
const TOKEN_CHAR_LEFT = /[A-Za-z0-9+/_-]/;

/**
 * Replaces every span with its placeholder. Overlapping spans become one; each span first grows to
 * the whole token it sits in, so no rule can leave part of a secret behind (secretlint's AWS rule,
 * for one, reports a span that starts at the variable's name and stops short of the key's end).
 */
export function applyRanges(text: string, found: Found[]): string {
  if (found.length === 0) return text;
  const spans = found
    .map((f) => ({
      ...f,
      start: Math.max(0, Math.min(f.start, text.length)),
      end: Math.max(0, Math.min(f.end, text.length)),
    }))
    .filter((f) => f.end > f.start)
    .map((f) => widen(text, f))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let at = 0;
  let i = 0;
  while (i < spans.length) {
    let { start, end } = spans[i];
    let best = spans[i];
    for (i++; i < spans.length && spans[i].start < end; i++) {
      const next = spans[i];
      end = Math.max(end, next.end);
      if (
        next.priority > best.priority ||
        (next.priority === best.priority && next.end - next.start > best.end - best.start)
      )
        best = next;
    }
    start = Math.max(start, at);
    out += text.slice(at, start) + placeholder(best.kind);
    at = end;
  }
  return out + text.slice(at);
}

function widen(text: string, f: Found): Found {
  let { start, end } = f;
  while (start > 0 && TOKEN_CHAR_LEFT.test(text[start - 1]) && TOKEN_CHAR_RIGHT.test(text[start])) start--;
  while (end < text.length && TOKEN_CHAR_RIGHT.test(text[end]) && TOKEN_CHAR_RIGHT.test(text[end - 1])) end++;
  return start === f.start && end === f.end ? f : { ...f, start, end };
}
