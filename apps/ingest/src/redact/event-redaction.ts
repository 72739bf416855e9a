import { capPayload, type NormalizedEvent } from "@pulse/core";
import { type CredentialKind, credentialKind, isNotASecret } from "./credential-names";
import { ERROR_PLACEHOLDER, placeholder, TOO_DEEP_PLACEHOLDER } from "./placeholder";
import type { TextBatch } from "./text-batch";

/**
 * The text fields of an event a secret can reach, with the length the queue's schema allows. Left
 * alone: the ids (`key`, `session_id`), times, `source`, `cwd`, `host`, `project` (where and what,
 * not what was said) and the usage numbers.
 */
const TEXT_FIELDS = [
  ["name", 200],
  ["detail", 2000],
  ["tool", 200],
  ["title", 2000],
  ["waiting_reason", 64],
  ["end_detail", 500],
] as const;

/** Payloads are JSON an agent sent; nothing real nests this deep, and deeper parts are dropped rather than walked. */
export const MAX_DEPTH = 64;

/** Adds every string of `event` to `batch`; true when the event may change (then `redactEvent` rebuilds it). */
export function addEventStrings(event: NormalizedEvent, batch: TextBatch): boolean {
  let changes = false;
  for (const [field] of TEXT_FIELDS) {
    const value = event[field];
    if (typeof value === "string" && batch.add(value)) changes = true;
  }
  return addValue(event.payload, batch, 0, null) || changes;
}

/** `event` with every secret replaced, once `batch` is finished. */
export function redactEvent(event: NormalizedEvent, batch: TextBatch): NormalizedEvent {
  const out: NormalizedEvent = { ...event };
  for (const [field, max] of TEXT_FIELDS) {
    const value = event[field];
    if (typeof value === "string") out[field] = fit(batch.result(value), max);
  }
  const payload = redactValue(event.payload, batch, 0, null);
  if (payload !== event.payload) {
    // Placeholders can be longer than what they replace: keep the payload within its cap.
    const capped = capPayload(payload);
    out.payload = capped.payload;
    out.payload_truncated = event.payload_truncated || capped.truncated;
  }
  return out;
}

/** What is stored when redacting an event failed: nothing it said. */
export function failClosed(event: NormalizedEvent): NormalizedEvent {
  const out: NormalizedEvent = { ...event, payload: ERROR_PLACEHOLDER };
  for (const [field] of TEXT_FIELDS)
    if (event[field] !== null && event[field] !== undefined) out[field] = ERROR_PLACEHOLDER;
  return out;
}

function addValue(value: unknown, batch: TextBatch, depth: number, sensitive: CredentialKind | null): boolean {
  if (typeof value === "string") return sensitive !== null ? !isNotASecret(value) : batch.add(value);
  if (value === null || typeof value !== "object") return false;
  if (depth >= MAX_DEPTH || !isPlain(value)) return true;
  let changes = false;
  if (Array.isArray(value)) {
    for (const item of value) if (addValue(item, batch, depth + 1, sensitive)) changes = true;
    return changes;
  }
  const record = value as Record<string, unknown>;
  const pair = sensitive ?? attributePairKind(record);
  for (const key of Object.keys(record)) {
    if (batch.add(key)) changes = true;
    if (addValue(record[key], batch, depth + 1, childSensitivity(key, sensitive, pair))) changes = true;
  }
  return changes;
}

function redactValue(value: unknown, batch: TextBatch, depth: number, sensitive: CredentialKind | null): unknown {
  if (typeof value === "string")
    return sensitive !== null ? (isNotASecret(value) ? value : placeholder(sensitive)) : batch.result(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP_PLACEHOLDER;
  if (!isPlain(value)) return placeholder("unsupported");
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const redacted = redactValue(item, batch, depth + 1, sensitive);
      if (redacted !== item) (copy ??= value.slice())[i] = redacted;
    });
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const pair = sensitive ?? attributePairKind(record);
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const redacted = redactValue(item, batch, depth + 1, childSensitivity(key, sensitive, pair));
    let outKey = batch.result(key);
    if (outKey !== key || redacted !== item) changed = true;
    for (let n = 2; outKey !== key && Object.hasOwn(out, outKey); n++) outKey = `${batch.result(key)}#${n}`;
    // defineProperty, not assignment: a `__proto__` key from JSON is an own property to keep, not the prototype to set.
    Object.defineProperty(out, outKey, { value: redacted, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}

/** Values under a credential's name are secret whole, whatever they look like (`"password": "hunter2"`). */
function childSensitivity(
  key: string,
  sensitive: CredentialKind | null,
  pair: CredentialKind | null,
): CredentialKind | null {
  if (sensitive !== null) return sensitive;
  if (key === "value" && pair !== null) return pair;
  return cachedCredentialKind(key);
}

/** OpenTelemetry attributes name their value in a sibling: `{ "key": "db.password", "value": { "stringValue": "…" } }`. */
function attributePairKind(record: Record<string, unknown>): CredentialKind | null {
  const key = record.key;
  return typeof key === "string" && "value" in record ? cachedCredentialKind(key) : null;
}

/** Object keys repeat across events (`tool_input`, `session.id`): each is judged once. */
const KIND_CACHE = new Map<string, CredentialKind | null>();
const MAY_NAME_A_CREDENTIAL = /token|secret|key|pass|credential|authorization|cookie/i;

function cachedCredentialKind(key: string): CredentialKind | null {
  let kind = KIND_CACHE.get(key);
  if (kind === undefined) {
    kind = MAY_NAME_A_CREDENTIAL.test(key) ? credentialKind(key) : null;
    if (KIND_CACHE.size >= 10_000) KIND_CACHE.clear();
    KIND_CACHE.set(key, kind);
  }
  return kind;
}

/** JSON gives arrays and plain objects only; anything else (a Buffer, a Date) is not walked but dropped. */
function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Cuts to the queue schema's length (UTF-16 units), never inside a surrogate pair. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + "…";
}
