import { credentialKind, isNotASecret } from "./credential-names";
import { type Found, PRIORITY } from "./ranges";
import type { Trigger } from "./triggers";

/**
 * A rule Pulse applies itself, on top of secretlint's: the issue's own list (Authorization headers,
 * `.env`-style credentials) and lenient forms of the commonest vendor keys, which secretlint only
 * recognises at their exact current lengths (test keys, older formats and keys cut short by a
 * truncated line would slip through it).
 */
export interface TextRule {
  kind: string;
  /** A necessary condition of everything `find` finds: the rule runs only on strings that meet it. */
  trigger: Trigger;
  find(text: string, out: Found[]): void;
}

/** `…` ends a line ingest cut short: the key before it may be incomplete, and is redacted all the same. */
const CUT_END = String.raw`(?=…?$)`;

function isCutEnd(text: string, at: number): boolean {
  return at === text.length || (at === text.length - 1 && text[at] === "…");
}

/** A rule from one regex; the span is its `secret` group when it has one, else the whole match. */
export function regexRule(
  kind: string,
  priority: number,
  trigger: Trigger,
  source: string,
  flags = "",
  accept?: (secret: string, cut: boolean) => boolean,
): TextRule {
  const re = new RegExp(source, `gd${flags}`);
  return {
    kind,
    trigger,
    find(text, out) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0] === "") {
          re.lastIndex++;
          continue;
        }
        const span = m.indices?.groups?.secret ?? m.indices![0];
        const secret = text.slice(span[0], span[1]);
        if (accept && !accept(secret, isCutEnd(text, span[1]))) continue;
        out.push({ start: span[0], end: span[1], kind, priority });
      }
    },
  };
}

/** Real keys mix in digits; `sk-spinner-double-bounce-dots` is a CSS class. A key cut short is redacted anyway. */
const hasDigitOrIsCut = (secret: string, cut: boolean) => cut || /[0-9]/.test(secret);

/** Not preceded by a letter, digit, `_` or `-`: `task-…` is no OpenAI key. */
const START = String.raw`(?<![A-Za-z0-9_-])`;

const VENDOR_RULES: TextRule[] = [
  regexRule(
    "anthropic",
    PRIORITY.vendor,
    { needles: ["sk-ant-"] },
    String.raw`${START}sk-ant-(?:[A-Za-z0-9_-]{16,}|[A-Za-z0-9_-]*${CUT_END})`,
  ),
  regexRule(
    "openai",
    PRIORITY.vendor,
    { needles: ["sk-"] },
    String.raw`${START}sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?(?:[A-Za-z0-9_-]{20,}|[A-Za-z0-9_-]*${CUT_END})`,
    "",
    hasDigitOrIsCut,
  ),
  regexRule(
    "github",
    PRIORITY.vendor,
    { needles: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] },
    String.raw`${START}(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]*${CUT_END})`,
  ),
  // Access key ids: long-term (AKIA), temporary (ASIA) and the other IAM unique-id prefixes.
  regexRule(
    "aws",
    PRIORITY.vendor,
    { needles: ["A3T", "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"] },
    String.raw`(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)(?:[A-Z0-9]{16}(?![A-Za-z0-9])|[A-Z0-9]{0,15}${CUT_END})`,
  ),
  regexRule(
    "slack",
    PRIORITY.vendor,
    { needles: ["xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-", "xapp-"] },
    String.raw`${START}(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}`,
  ),
];

const STRUCTURE_RULES: TextRule[] = [
  // Whatever the key type, with or without its body, ended or cut short: the block goes.
  regexRule(
    "privatekey",
    PRIORITY.structure,
    { needles: ["PRIVATE KEY"] },
    String.raw`-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)`,
  ),
  // The password of a URL's user info, any scheme: https://user:PASSWORD@host, postgres://app:PASSWORD@db.
  regexRule(
    "basicauth",
    PRIORITY.structure,
    { needles: ["://"], confirm: /:\/\/[^\s:/@]{1,256}:[^\s@/]{1,256}@/ },
    String.raw`\b[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/@'"<>\\]{1,256}:(?<secret>[^\s@/'"<>\\]{1,256})@`,
    "",
    (s) => !isNotASecret(s),
  ),
  regexRule(
    "jwt",
    PRIORITY.structure,
    { needles: ["eyJ"] },
    String.raw`${START}eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
  ),
];

/** `Authorization: Bearer <token>`, `"authorization": "Basic <b64>"`, `Proxy-Authorization: token <t>`, and a bare `Bearer <token>`. */
const AUTHORIZATION_RULES: TextRule[] = [
  regexRule(
    "authorization",
    PRIORITY.generic,
    { words: ["authorization"] },
    String.raw`authorization\\?["']?\s*[:=]\s*\\?["']?\s*(?:(?:bearer|basic|token|bot|apikey|negotiate)\s+)?(?<secret>[^\s"'\\,;]+)`,
    "i",
    (s) => !isNotASecret(s),
  ),
  regexRule(
    "authorization",
    PRIORITY.generic,
    { words: ["bearer"] },
    String.raw`\bbearer\s+(?<secret>[A-Za-z0-9\-._~+/]{8,}=*)`,
    "i",
    (s) => !isNotASecret(s),
  ),
];

/**
 * `NAME=value`, `export NAME="value"`, `"name": "value"`, `name: value`, `--name=value`,
 * `NAME => 'value'`, where NAME is a credential's (credential-names.ts). Linear: the regex finds a
 * credential word and the separator after it; the name around it is then read backwards and checked
 * word by word (which a regex does badly: `monkey`, `passthrough`), and the value read forwards.
 */
const CREDENTIAL_WORD_THEN_SEPARATOR =
  /(?:token|secret|key|passw(?:or)?d|pass|credentials?|authorization|cookie)[A-Za-z0-9_.-]{0,40}?(?:\\?["'])?[ \t]*(?:=>|:=|[:=])[ \t]*/gi;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const NAME_SUFFIX = /^[A-Za-z0-9_.-]*/;
const VALUE = new RegExp(
  [
    String.raw`\\"(?<escaped>(?:[^"\\\n]|\\[^"\n]){1,4096})(?:\\"|$)`, // JSON text inside a JSON string: \"value\"
    String.raw`"(?<double>(?:[^"\\]|\\[\s\S]){1,4096})(?:"|$)`,
    String.raw`'(?<single>[^']{1,4096})(?:'|$)`,
    String.raw`["'](?<opened>[^\s"']+)`, // a quote that never closes: its first word
    String.raw`(?<variable>\$\{[^}\n]{1,200}\}|\$\([^)\n]{1,200}\))`, // a reference (${TOKEN}, $(vault read …)), not a value
    String.raw`(?<bare>[^\s"'\x60\\,;&|<>(){}\[\]]+)`,
  ].join("|"),
  "yd",
);

const ASSIGNMENT_RULE: TextRule = {
  kind: "credential",
  trigger: { words: ["token", "secret", "key", "pass", "credential", "authorization", "cookie"] },
  find(text, out) {
    const re = CREDENTIAL_WORD_THEN_SEPARATOR;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let nameStart = m.index;
      while (nameStart > 0 && m.index - nameStart < 100 && NAME_CHAR.test(text[nameStart - 1])) nameStart--;
      const name = text.slice(nameStart, m.index) + NAME_SUFFIX.exec(m[0])![0];
      const kind = credentialKind(name);
      // `Authorization: Bearer x` has a scheme before its secret: the authorization rules read it.
      if (kind === null || kind === "authorization") continue;
      VALUE.lastIndex = re.lastIndex;
      const v = VALUE.exec(text);
      if (v === null) continue;
      const g = v.indices!.groups!;
      const span = g.escaped ?? g.double ?? g.single ?? g.opened ?? g.bare;
      re.lastIndex = v.indices![0][1];
      if (g.variable) continue;
      if (!span || isNotASecret(text.slice(span[0], span[1]))) continue;
      out.push({ start: span[0], end: span[1], kind, priority: PRIORITY.generic });
    }
  },
};

export const TEXT_RULES: readonly TextRule[] = [
  ...VENDOR_RULES,
  ...STRUCTURE_RULES,
  ...AUTHORIZATION_RULES,
  ASSIGNMENT_RULE,
];

/** The shortest string a text rule finds anything in (`PASS=x`): shorter strings are not scanned at all. */
export const MIN_SECRET_LENGTH = 6;
