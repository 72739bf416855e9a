import type { NormalizedEvent } from "@pulse/core";
import { addEventStrings, failClosed, redactEvent } from "./event-redaction";
import { type ExtraPattern, extraPatternRule } from "./extra-patterns";
import { loadSecretlintScanner } from "./secretlint-scanner";
import { TextBatch, type TextRules, triggerIndex } from "./text-batch";
import { TEXT_RULES } from "./text-rules";

export interface RedactionSettings {
  /** PULSE_REDACT: off stores events exactly as they came. */
  enabled: boolean;
  /** PULSE_REDACT_EXTRA_PATTERNS. */
  extraPatterns: readonly ExtraPattern[];
}

export interface Redactor {
  /**
   * The events with every secret in their text fields and payloads replaced by `[REDACTED:<kind>]`.
   * Never rejects: whatever cannot be redacted is dropped (`[REDACTED:error]`), never returned raw.
   * Events with nothing to redact come back as the same objects.
   */
  redactEvents(events: NormalizedEvent[]): Promise<NormalizedEvent[]>;
  /** One string, redacted the same way (benchmarks, tests, the docs' examples). */
  redactText(text: string): Promise<string>;
}

const PASS_THROUGH: Redactor = { redactEvents: async (events) => events, redactText: async (text) => text };

/** Built once at boot: loads secretlint's rules and compiles the operator's patterns. */
export async function createRedactor(settings: RedactionSettings): Promise<Redactor> {
  if (!settings.enabled) return PASS_THROUGH;
  const rules: TextRules = {
    own: TEXT_RULES,
    extra: settings.extraPatterns.map(extraPatternRule),
    secretlint: await loadSecretlintScanner(),
  };
  const triggers = triggerIndex(rules);
  const cleanShort = new Set<string>();
  return {
    async redactEvents(events) {
      const batch = new TextBatch(rules, triggers, cleanShort);
      const changes = events.map((event) => {
        try {
          return addEventStrings(event, batch);
        } catch {
          return null;
        }
      });
      if (!changes.some((c) => c !== false)) return events;
      await batch.finish();
      return events.map((event, i) => {
        if (changes[i] === false) return event;
        if (changes[i] === null) return failClosed(event);
        try {
          return redactEvent(event, batch);
        } catch {
          return failClosed(event);
        }
      });
    },
    async redactText(text) {
      const batch = new TextBatch(rules, triggers, cleanShort);
      if (!batch.add(text)) return text;
      await batch.finish();
      return batch.result(text);
    },
  };
}
