import { type Found, PRIORITY } from "./ranges";
import type { Trigger } from "./triggers";

/**
 * secretlint (`@secretlint/core` + `@secretlint/secretlint-rule-preset-recommend`): its recommended
 * rules know the exact formats of some thirty vendors' keys (Anthropic, OpenAI, GitHub, GitLab,
 * Slack, AWS, Stripe, npm, Hugging Face, private keys, database URLs…) and report each with its rule.
 *
 * One `lintSource` call costs ~80 µs whatever it is given (it sets up every rule each time), far more
 * than a hook POST's whole budget. So each rule has a trigger: a cheap necessary condition of
 * everything that rule reports. A string is linted only by the rules whose trigger it matches, and
 * the strings of a request are linted together in one call. A rule with no trigger here (one a newer
 * preset adds) runs on every string: slower, never leakier. redact.test.ts checks every trigger
 * against a key that rule reports.
 */
const USER_INFO_URL = { needles: ["://"], confirm: /:\/\/[^\s/@:]{1,256}:[^\s/@]{1,256}@/ };

export const RULE_TRIGGERS: Readonly<Record<string, Trigger>> = {
  // Its secret access key pattern needs SECRET_ACCESS_KEY (any of _ left out); ids and account ids are opt-in below.
  aws: {
    words: ["secret_access_key", "secretaccess_key", "secret_accesskey", "secretaccesskey", "account"],
    needles: ["A3T", "AKIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ASIA"],
  },
  npm: { needles: ["_authToken=", "x-oauth-basic@", "npm_"] },
  slack: { needles: ["xoxb-", "xoxp-", "xapp-", "xoxa-", "xoxo-", "xoxr-"], words: ["hooks.slack.com/services/"] },
  basicauth: USER_INFO_URL,
  openai: { needles: ["T3BlbkFJ"] },
  anthropic: { needles: ["sk-ant-api0"] },
  groq: { needles: ["gsk_"] },
  huggingface: { needles: ["hf_"] },
  linear: { needles: ["lin_api_"] },
  notion: { needles: ["ntn_"] },
  privatekey: { needles: ["PRIVATE KEY"] },
  sendgrid: { needles: ["SG."] },
  shopify: { needles: ["shppa_", "shpca_", "shpat_", "shpss_"] },
  stripe: { needles: ["sk_live_", "sk_test_", "rk_live_", "rk_test_"] },
  github: { needles: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] },
  gitlab: { needles: ["glpat-"] },
  grafana: { needles: ["glc_", "glsa_"] },
  "1password": { needles: ["ops_ey"] },
  "database-connection-string": USER_INFO_URL,
  "hashicorp-vault": { needles: ["hvs.", "hvb.", "hvr."] },
  vercel: { needles: ["vcp_", "vci_", "vca_", "vcr_", "vck_"] },
  databricks: { needles: ["dapi"] },
  docker: { needles: ["dckr_pat_"] },
  figma: { needles: ["figd_"] },
  cloudflare: { needles: ["cfk_", "cfut_", "cfat_"] },
  tailscale: { needles: ["tskey-"] },
};

/**
 * Left out: `filter-comments` honours `secretlint-disable` comments, which would let the very text
 * being scanned switch the scan off; `gcp` looks only at `.json` and `.p12` files, never at text
 * (the private key in a service account's JSON is caught by `privatekey` and Pulse's own rule).
 */
const EXCLUDED_RULES = new Set(["filter-comments", "gcp"]);

/** Per-rule options: the AWS rule reports access key ids only when asked. */
const RULE_OPTIONS: Readonly<Record<string, object>> = { aws: { enableIDScanRule: true } };

const RULE_ID_PREFIX = "@secretlint/secretlint-rule-";
/** Between two strings linted in one call: no rule's pattern runs across a NUL. */
const SEPARATOR = "\n\u0000\n";

type LintSource = (typeof import("@secretlint/core", { with: { "resolution-mode": "import" } }))["lintSource"];
type SecretLintCoreConfig = Parameters<LintSource>[0]["options"]["config"];
type SecretLintUnionRuleCreator = (typeof import("@secretlint/secretlint-rule-preset-recommend", {
  with: { "resolution-mode": "import" },
}))["rules"][number];

export interface SecretlintScanner {
  /** The preset's rules, by short id (`github`), each with its trigger (null: runs on every string). */
  readonly rules: readonly { id: string; trigger: Trigger | null }[];
  /** Spans each text holds, found by the given rules (short ids) in one lint call. Rejects if secretlint fails. */
  scan(texts: readonly string[], ruleIds: ReadonlySet<string>): Promise<Found[][]>;
}

/** Loads secretlint (ES modules only, hence the dynamic import) and turns off its profiler, which would keep every mark it ever made. */
export async function loadSecretlintScanner(): Promise<SecretlintScanner> {
  const [{ lintSource }, { rules: presetRules }] = await Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend"),
  ]);
  await disableProfiler();
  const rules = presetRules
    .map((rule) => ({ id: shortId(rule.meta.id), rule }))
    .filter(({ id }) => !EXCLUDED_RULES.has(id));
  return new Scanner(lintSource, rules);
}

async function disableProfiler(): Promise<void> {
  const { createRequire } = await import("node:module");
  // Resolved from @secretlint/core, whose dependency it is.
  const fromCore = createRequire(require.resolve("@secretlint/core"));
  const { secretLintProfiler } = (await import(fromCore.resolve("@secretlint/profiler"))) as {
    secretLintProfiler: { setEnabled(enabled: boolean): void };
  };
  secretLintProfiler.setEnabled(false);
}

function shortId(ruleId: string): string {
  return ruleId.startsWith(RULE_ID_PREFIX) ? ruleId.slice(RULE_ID_PREFIX.length) : ruleId;
}

class Scanner implements SecretlintScanner {
  readonly rules: { id: string; trigger: Trigger | null }[];
  private readonly byId: Map<string, SecretLintUnionRuleCreator>;
  /** A config per set of rules asked for together (few sets occur: most strings trigger one rule or none). */
  private readonly configs = new Map<string, SecretLintCoreConfig>();

  constructor(
    private readonly lint: LintSource,
    rules: { id: string; rule: SecretLintUnionRuleCreator }[],
  ) {
    this.byId = new Map(rules.map(({ id, rule }) => [id, rule]));
    this.rules = rules.map(({ id }) => ({ id, trigger: RULE_TRIGGERS[id] ?? null }));
  }

  async scan(texts: readonly string[], ruleIds: ReadonlySet<string>): Promise<Found[][]> {
    const found: Found[][] = texts.map(() => []);
    if (texts.length === 0 || ruleIds.size === 0) return found;
    const starts: number[] = [];
    let at = 0;
    for (const text of texts) {
      starts.push(at);
      at += text.length + SEPARATOR.length;
    }
    const content = texts.join(SEPARATOR);
    const result = await this.lint({
      source: { content, filePath: "pulse-event.txt", ext: ".txt", contentType: "text" },
      options: { config: this.config(ruleIds), noPhysicFilePath: true, maskSecrets: true },
    });
    for (const message of result.messages) {
      const [start, end] = message.range;
      const kind = shortId(message.ruleId);
      // Every text the span touches gets its part of it.
      for (let i = lastStartAtOrBefore(starts, start); i < texts.length && starts[i] < end; i++) {
        const from = Math.max(start - starts[i], 0);
        const to = Math.min(end - starts[i], texts[i].length);
        if (to > from) found[i].push({ start: from, end: to, kind, priority: PRIORITY.vendor });
      }
    }
    return found;
  }

  private config(ruleIds: ReadonlySet<string>): SecretLintCoreConfig {
    const key = [...ruleIds].sort().join(",");
    let config = this.configs.get(key);
    if (!config) {
      const rules = [...ruleIds].flatMap((id) => {
        const rule = this.byId.get(id);
        return rule ? [{ id: rule.meta.id, rule, options: RULE_OPTIONS[id] ?? {} }] : [];
      });
      config = { rules } as SecretLintCoreConfig;
      if (this.configs.size >= 256) this.configs.clear();
      this.configs.set(key, config);
    }
    return config;
  }
}

function lastStartAtOrBefore(starts: number[], position: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
