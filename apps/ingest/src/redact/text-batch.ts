import { ERROR_PLACEHOLDER } from "./placeholder";
import { applyRanges, type Found } from "./ranges";
import type { SecretlintScanner } from "./secretlint-scanner";
import { MIN_SECRET_LENGTH, type TextRule } from "./text-rules";
import { TriggerIndex } from "./triggers";

/** The rules a redactor applies to every string. */
export interface TextRules {
  /** Pulse's own rules, skipped for strings their trigger rules out. */
  own: readonly TextRule[];
  /** The operator's PULSE_REDACT_EXTRA_PATTERNS: run on every string (their cost is theirs to choose). */
  extra: readonly TextRule[];
  secretlint: SecretlintScanner;
}

const SHORT_LENGTH = 64;
/** ~50,000 × ≤64 chars: a few MB at most. */
const MAX_CLEAN_SHORT = 50_000;

interface Entry {
  found: Found[];
  /** secretlint rules this string is to be linted by. */
  lintRules: Set<string> | null;
  failed: boolean;
  result?: string;
}

/**
 * The strings of one request (every field and payload string of every event in it): each is scanned
 * once however often it occurs, and those that need secretlint are linted together in one call.
 * `add` every string, `await finish()`, then read each one's `result`.
 */
export class TextBatch {
  private readonly entries = new Map<string, Entry>();
  /** Long strings of this batch known to be clean (a prompt is also the title, a command also the detail). */
  private readonly clean = new Set<string>();
  private readonly minLength: number;

  constructor(
    private readonly rules: TextRules,
    private readonly triggers: TriggerIndex<TextRule | string> = triggerIndex(rules),
    /**
     * Short strings known to be clean, kept across batches by the redactor: payloads repeat the same
     * short values and keys in every event (`claude_code.tool_result`, `tool_input`, `true`), and a
     * lookup costs less than the trigger regex's fixed cost.
     */
    private readonly cleanShort: Set<string> = new Set(),
  ) {
    this.minLength = rules.extra.length > 0 ? 1 : MIN_SECRET_LENGTH;
  }

  /** Scans `text` with the text rules; true when it may hold a secret (found, or to be linted). */
  add(text: string): boolean {
    if (text.length < this.minLength) return false;
    if (this.entries.has(text)) return true;
    const long = text.length > SHORT_LENGTH;
    if (long ? this.clean.has(text) : this.cleanShort.has(text)) return false;
    const entry = this.scan(text);
    if (entry === null) {
      if (long) this.clean.add(text);
      else {
        if (this.cleanShort.size >= MAX_CLEAN_SHORT) this.cleanShort.clear();
        this.cleanShort.add(text);
      }
      return false;
    }
    this.entries.set(text, entry);
    return true;
  }

  /** Lints the strings that need it. Never rejects: if secretlint fails, those strings fail closed. */
  async finish(): Promise<void> {
    const texts: string[] = [];
    const entries: Entry[] = [];
    const ruleIds = new Set<string>();
    for (const [text, entry] of this.entries) {
      if (!entry.lintRules || entry.failed) continue;
      texts.push(text);
      entries.push(entry);
      for (const id of entry.lintRules) ruleIds.add(id);
    }
    if (texts.length === 0) return;
    try {
      const found = await this.rules.secretlint.scan(texts, ruleIds);
      entries.forEach((entry, i) => entry.found.push(...found[i]));
    } catch {
      for (const entry of entries) entry.failed = true;
    }
  }

  /** `text` with every secret found in it replaced by its placeholder. */
  result(text: string): string {
    const entry = this.entries.get(text);
    if (!entry) return text;
    if (entry.result === undefined) {
      try {
        entry.result = entry.failed ? ERROR_PLACEHOLDER : applyRanges(text, entry.found);
      } catch {
        entry.result = ERROR_PLACEHOLDER;
      }
    }
    return entry.result;
  }

  private scan(text: string): Entry | null {
    const found: Found[] = [];
    let lintRules: Set<string> | null = null;
    try {
      for (const rule of this.rules.extra) rule.find(text, found);
      if (text.length >= MIN_SECRET_LENGTH) {
        for (const fired of this.triggers.match(text)) {
          if (typeof fired === "string") (lintRules ??= new Set()).add(fired);
          else fired.find(text, found);
        }
      }
    } catch {
      // A rule that throws (a pathological string, a bug): the string is dropped, not stored raw.
      return { found: [], lintRules: null, failed: true };
    }
    return found.length > 0 || lintRules ? { found, lintRules, failed: false } : null;
  }
}

/** Pulse's rules fire as themselves, secretlint's as their ids. Built once per redactor (see `triggerIndex`). */
export function triggerIndex(rules: TextRules): TriggerIndex<TextRule | string> {
  return new TriggerIndex<TextRule | string>([
    ...rules.own.map((rule) => ({ trigger: rule.trigger, value: rule })),
    ...rules.secretlint.rules.map((rule) => ({ trigger: rule.trigger, value: rule.id })),
  ]);
}
