// ES2024's String methods (Node 20 has them; the build's lib is ES2023).
declare global {
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/** A `\uD800`–`\uDFFF` escape in JSON text: half of a surrogate pair, alone or not. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Makes every string (and key) of a parsed JSON body well-formed UTF-16: a lone surrogate (what
 * `JSON.stringify` writes for a string cut inside an emoji, e.g. a tool's output cut at a limit)
 * becomes U+FFFD, as any UTF-8 encoder writes it. Postgres cannot store a lone surrogate (`jsonb`
 * refuses the escape, Prisma refuses it in a text parameter), so an event carrying one would be
 * accepted and then never applied; repaired here, the event is stored with the rest of its text.
 *
 * Only bodies whose text has a surrogate escape are walked (raw UTF-8 never decodes to a lone
 * surrogate), and only after the depth check, so the walk is bounded.
 */
export function repairLoneSurrogates(text: string, value: unknown): unknown {
  if (!SURROGATE_ESCAPE.test(text)) return value;
  return repair(value);
}

function repair(value: unknown): unknown {
  if (typeof value === "string") return value.isWellFormed() ? value : value.toWellFormed();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = repair(value[i]);
    return value;
  }
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const fixed = repair(object[key]);
      if (key.isWellFormed()) {
        // Defined, not assigned: an own "__proto__" key from JSON.parse stays a plain key.
        if (fixed !== object[key])
          Object.defineProperty(object, key, { value: fixed, writable: true, enumerable: true, configurable: true });
        continue;
      }
      delete object[key];
      Object.defineProperty(object, key.toWellFormed(), {
        value: fixed,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return value;
}
