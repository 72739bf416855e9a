/** A JSON escape of U+0000 not preceded by another backslash (an escaped backslash before "u0000" is text). */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * JSON text for a Postgres parameter. Postgres `text` and `jsonb` cannot hold U+0000, which agents do
 * send (binary tool output): it becomes U+FFFD, so one such character never fails a whole batch.
 */
export function pgJson(value: unknown): string {
  return JSON.stringify(value).replace(NUL_ESCAPE, "$1\\ufffd");
}
