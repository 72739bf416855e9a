/**
 * Deepest nesting of arrays and objects a JSON body may have. Agents' hook inputs and OTLP exports
 * nest a few dozen levels at most; far deeper bodies (about 4,000 levels fit in 10 KB) overflow the
 * stack of everything recursive downstream (`JSON.stringify` for payload caps and idempotency keys,
 * BullMQ's job encoding, Postgres' jsonb parser), so they are refused at the edge.
 */
export const MAX_JSON_DEPTH = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text nests deeper than `limit`. A scan of the text, no recursion and no parse: strings
 * are skipped with indexOf (so a big tool output costs almost nothing), brackets counted. Meant for
 * text that is then parsed: on text that is not JSON the answer means nothing, and the parse fails.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  // Each level takes two characters at least.
  if (text.length <= 2 * limit) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // To the closing quote: the next one not escaped by an odd run of backslashes.
      for (;;) {
        const quote = text.indexOf('"', i + 1);
        if (quote < 0) return false;
        let before = quote - 1;
        while (text.charCodeAt(before) === BACKSLASH) before--;
        i = quote;
        if ((quote - 1 - before) % 2 === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
