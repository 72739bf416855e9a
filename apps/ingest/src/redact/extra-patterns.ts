import { z } from "zod";
import { PRIORITY } from "./ranges";
import { regexRule, type TextRule } from "./text-rules";

/** One of the operator's own patterns (PULSE_REDACT_EXTRA_PATTERNS). */
export interface ExtraPattern {
  kind: string;
  /** Its source and flags; a `secret` named group, if any, is what is redacted, else the whole match. */
  source: string;
  flags: string;
}

const KIND = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const LITERAL = /^\/([\s\S]+)\/([imsu]*)$/;
const MAX_PATTERNS = 50;

/**
 * PULSE_REDACT_EXTRA_PATTERNS: a JSON object of kind → regular expression (JavaScript syntax; write
 * `/…/i` for flags i, m, s, u), e.g. `{"acme":"acme_[a-z0-9]{32}","ticket":"/TICKET-\\d{6}/i"}`. Each
 * match becomes `[REDACTED:<kind>]`. Refused at boot when not JSON, a kind is odd, a pattern does not
 * compile or matches the empty string (it would match everywhere).
 */
export const extraPatternsEnv = z.string().transform((raw, ctx): ExtraPattern[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    ctx.addIssue({
      code: "custom",
      message: 'must be a JSON object of kind → regular expression, e.g. {"acme":"acme_[a-z0-9]{32}"}',
    });
    return z.NEVER;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    ctx.addIssue({
      code: "custom",
      message: 'must be a JSON object of kind → regular expression, e.g. {"acme":"acme_[a-z0-9]{32}"}',
    });
    return z.NEVER;
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_PATTERNS) {
    ctx.addIssue({ code: "custom", message: `must hold at most ${MAX_PATTERNS} patterns` });
    return z.NEVER;
  }
  const patterns: ExtraPattern[] = [];
  for (const [kind, value] of entries) {
    const problem = checkPattern(kind, value);
    if (typeof problem === "string") {
      // Names the kind, never the pattern: it may itself spell out part of a secret.
      ctx.addIssue({ code: "custom", message: `pattern "${KIND.test(kind) ? kind : "?"}" ${problem}` });
      return z.NEVER;
    }
    patterns.push(problem);
  }
  return patterns;
});

function checkPattern(kind: string, value: unknown): ExtraPattern | string {
  if (!KIND.test(kind)) return "has a bad kind: 1–40 letters, digits, _ . - (it is shown as [REDACTED:<kind>])";
  if (typeof value !== "string" || value === "") return "must be a non-empty string";
  const literal = LITERAL.exec(value);
  const source = literal ? literal[1] : value;
  const flags = literal ? literal[2] : "";
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch {
    return "is not a valid regular expression";
  }
  if (re.test("")) return "must not match the empty string";
  return { kind, source, flags };
}

export function extraPatternRule({ kind, source, flags }: ExtraPattern): TextRule {
  // No trigger: runs on every string (the operator chose these patterns).
  return regexRule(kind, PRIORITY.vendor + 1, {}, source, flags);
}
