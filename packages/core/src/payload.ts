/** Raw payloads are kept for inspection, but never more than this per event (rule 9). */
export const PAYLOAD_CAP_BYTES = 64 * 1024;

export interface CappedPayload {
  payload: unknown;
  truncated: boolean;
}

/**
 * Keeps a payload as it came when its JSON fits the cap; otherwise keeps the first PAYLOAD_CAP_BYTES
 * of its JSON text as a string (no longer valid JSON, hence a string) and marks it truncated.
 */
export function capPayload(payload: unknown, json: string = JSON.stringify(payload) ?? "null"): CappedPayload {
  // Cheap exit: UTF-8 needs at most 3 bytes per UTF-16 unit.
  if (json.length * 3 <= PAYLOAD_CAP_BYTES) return { payload, truncated: false };
  const bytes = new TextEncoder().encode(json);
  if (bytes.length <= PAYLOAD_CAP_BYTES) return { payload, truncated: false };
  // Cut by bytes (TextEncoder/Decoder keep this module free of Node APIs), then drop a trailing
  // partial UTF-8 sequence, which decodes to U+FFFD.
  const cut = new TextDecoder().decode(bytes.subarray(0, PAYLOAD_CAP_BYTES)).replace(/\uFFFD$/, "");
  return { payload: cut, truncated: true };
}
