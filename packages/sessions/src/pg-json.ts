/**
 * JSON escapes Postgres cannot store, not preceded by another backslash (an escaped backslash before
 * "u0000" is text): U+0000, and lone UTF-16 surrogates. `JSON.stringify` writes a pair as the
 * character itself, so every `\udXXX` escape it writes is a lone half.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/**
 * JSON text for a Postgres parameter. Postgres `text` and `jsonb` cannot hold U+0000, which agents do
 * send (binary tool output), nor half of a surrogate pair (`jsonb` refuses `"\ud83d"`: a string cut
 * inside an emoji, as a tool's output cut at a limit is). Each becomes U+FFFD, as a UTF-8 encoder
 * writes them, so one such character never fails a whole batch.
 */
export function pgJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSTORABLE_ESCAPE, "$1\\ufffd");
}
