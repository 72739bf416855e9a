/**
 * The few characters that name a session on a crowded screen. Most ids are random from their first
 * character (Claude Code's and Gemini's UUIDv4), so their first 8 characters tell them apart. A
 * time-ordered id starts with its creation time: Codex's UUIDv7 ids share their first 8 hex digits
 * for a whole minute ("01a2335f" four times), ULIDs their first 8 characters for ~1 s. For those the
 * random tail is shown instead, marked with a leading "…" so it reads as the end of the id.
 *
 * It depends on the id alone (not on which other sessions are on screen), so a session keeps the
 * same short id in every list, on its page, after a reload and in a link someone pasted.
 */
const SHORT = 8;
/** UUID versions 6 and 7 put the time first (RFC 9562); version 1 puts its fastest-moving bits first. */
const TIME_ORDERED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[67][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Crockford base32, 26 characters: 10 of time, 16 random. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

export function shortSessionId(id: string): string {
  if (TIME_ORDERED_UUID.test(id) || ULID.test(id)) return `…${id.slice(-SHORT)}`;
  return Array.from(id).slice(0, SHORT).join("");
}
