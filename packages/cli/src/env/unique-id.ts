/**
 * Identifiers for the hook's hot path without node:crypto (whose loading alone costs ~1.5 ms of the
 * hook's budget). Unique enough for idempotency keys and file names: time, pid and 104 random bits.
 */
export function uniqueId(): string {
  const random = () =>
    Math.floor(Math.random() * 2 ** 52)
      .toString(36)
      .padStart(11, "0");
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${random()}${random()}`;
}

/** FNV-1a, 32 bits: a short stable digest of a string for file names (not for security). */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
