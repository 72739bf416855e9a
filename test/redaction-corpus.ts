/**
 * A corpus of realistic (fake) secrets, each embedded the way it reaches Pulse: in a prompt, a Bash
 * command, multi-line tool output, a JSON string, a URL. Shared by the redaction unit test, the
 * integration test (every ingest route) and the dashboard's browser test. The keys are generated,
 * shaped like the real thing (prefix, length, alphabet), and belong to nobody.
 */

/** Deterministic token characters (xorshift): the same corpus every run. */
export function fakeChars(n: number, alphabet: string, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = "";
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const AN_ = AN + "_-";
const HEX = "0123456789abcdef";
const B64 = AN + "+/";
const DIGITS = "0123456789";

export interface CorpusSecret {
  id: string;
  /** Placeholder kinds that may stand in its place (`[REDACTED:<kind>]`): the library's or Pulse's rule. */
  kinds: string[];
  /** What must not survive anywhere: the key itself (for a URL or an assignment, its secret part). */
  material: string[];
  /** The secret on its own (a token), to embed in every kind of context; null when it only makes sense in `text`. */
  token: string | null;
  /** A realistic line or block that carries it. */
  text: string;
}

const pemBody = (seed: number) => ("MIIEow" + fakeChars(1560, B64, seed)).replace(/(.{64})/g, "$1\n").trim();
const rsaBody = pemBody(17);
const opensshBody = ("b3BlbnNzaC1rZXktdjEAAAAA" + fakeChars(360, B64, 18)).replace(/(.{70})/g, "$1\n").trim();

const openaiProject = "sk-proj-" + fakeChars(74, AN_, 9) + "T3BlbkFJ" + fakeChars(74, AN_, 10);
const openaiLegacy = "sk-" + fakeChars(20, AN, 44) + "T3BlbkFJ" + fakeChars(20, AN, 45);
const anthropic = "sk-ant-api03-" + fakeChars(93, AN_, 11) + "AA";
const anthropicAdmin = "sk-ant-admin01-" + fakeChars(80, AN_, 46) + "AA";
const ghp = "ghp_" + fakeChars(36, AN, 22);
const githubPat =
  "github_pat_11" + fakeChars(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 47) + "_" + fakeChars(59, AN, 48);
const gho = "gho_" + fakeChars(36, AN, 49);
const awsKeyId = "AKIA" + fakeChars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 50);
const awsSecret = fakeChars(40, AN + "/+", 1);
const slackBot = "xoxb-" + fakeChars(12, DIGITS, 5) + "-" + fakeChars(13, DIGITS, 6) + "-" + fakeChars(24, AN, 7);
const slackWebhook = `https://hooks.slack.com/services/T${fakeChars(8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 51)}/B${fakeChars(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 52)}/${fakeChars(24, AN, 53)}`;
const stripe = "sk_live_" + fakeChars(24, AN, 21);
const npmToken = "npm_" + fakeChars(36, AN, 4);
const gitlab = "glpat-" + fakeChars(20, AN_, 23);
const huggingface = "hf_" + fakeChars(34, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 13);
const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxOTAwMDAwMDAwfQ.${fakeChars(43, AN_, 54)}`;
const bearer = fakeChars(48, AN + "._-", 55);
const basicCredentials = Buffer.from(`deploy:${fakeChars(18, AN, 56)}`).toString("base64");
const urlPassword = fakeChars(18, AN, 8);
const dbPassword = fakeChars(16, AN, 33);
const envPassword = "correct-horse-" + fakeChars(10, AN, 57);
const envSecret = "whsec_" + fakeChars(32, AN, 58);
const apiKey = fakeChars(40, HEX, 59);
const jsonApiKey = fakeChars(32, AN, 60);
const clientSecret = fakeChars(40, AN_, 61);
const yamlPassword = fakeChars(20, AN, 62);
const quotedPassword = `p4ss w0rd ${fakeChars(8, AN, 63)}`;

export const CORPUS: CorpusSecret[] = [
  {
    id: "openai-project",
    kinds: ["openai"],
    material: [openaiProject],
    token: openaiProject,
    text: `export OPENAI_API_KEY=${openaiProject}`,
  },
  {
    id: "openai-legacy",
    kinds: ["openai"],
    material: [openaiLegacy],
    token: openaiLegacy,
    text: `client = OpenAI(api_key="${openaiLegacy}")`,
  },
  {
    id: "anthropic",
    kinds: ["anthropic"],
    material: [anthropic],
    token: anthropic,
    text: `ANTHROPIC_API_KEY=${anthropic} claude -p "hi"`,
  },
  {
    id: "anthropic-admin",
    kinds: ["anthropic"],
    material: [anthropicAdmin],
    token: anthropicAdmin,
    text: `curl https://api.anthropic.com/v1/organizations/users -H "x-api-key: ${anthropicAdmin}"`,
  },
  {
    id: "github-classic",
    kinds: ["github", "basicauth"],
    material: [ghp],
    token: ghp,
    text: `git push https://x-access-token:${ghp}@github.com/acme/pulse.git main`,
  },
  {
    id: "github-fine-grained",
    kinds: ["github"],
    material: [githubPat],
    token: githubPat,
    text: `gh auth login --with-token <<< ${githubPat}`,
  },
  {
    id: "github-oauth",
    kinds: ["github"],
    material: [gho],
    token: gho,
    text: `{"access_token":"${gho}","token_type":"bearer","scope":"repo"}`,
  },
  {
    id: "aws-access-key-id",
    kinds: ["aws"],
    material: [awsKeyId],
    token: awsKeyId,
    text: `aws configure set aws_access_key_id ${awsKeyId}`,
  },
  {
    id: "aws-secret-access-key",
    kinds: ["aws", "key"],
    material: [awsSecret],
    token: null,
    text: `[default]\naws_access_key_id = ${awsKeyId}\naws_secret_access_key = ${awsSecret}\nregion = eu-west-1`,
  },
  {
    id: "slack-bot-token",
    kinds: ["slack"],
    material: [slackBot],
    token: slackBot,
    text: `SLACK_BOT_TOKEN=${slackBot}`,
  },
  {
    id: "slack-webhook",
    kinds: ["slack"],
    material: [slackWebhook.split("/").pop()!],
    token: slackWebhook,
    text: `curl -X POST -d '{"text":"deployed"}' ${slackWebhook}`,
  },
  { id: "stripe", kinds: ["stripe"], material: [stripe], token: stripe, text: `stripe.api_key = "${stripe}"` },
  {
    id: "npm",
    kinds: ["npm"],
    material: [npmToken],
    token: npmToken,
    text: `//registry.npmjs.org/:_authToken=${npmToken}`,
  },
  { id: "gitlab", kinds: ["gitlab"], material: [gitlab], token: gitlab, text: `glab auth login --token ${gitlab}` },
  {
    id: "huggingface",
    kinds: ["huggingface"],
    material: [huggingface],
    token: huggingface,
    text: `huggingface-cli login --token ${huggingface}`,
  },
  { id: "jwt", kinds: ["jwt", "cookie"], material: [jwt.split(".")[2]], token: jwt, text: `Cookie: session=${jwt}` },
  {
    id: "private-key-rsa",
    kinds: ["privatekey"],
    material: rsaBody.split("\n").slice(0, 3),
    token: null,
    text: `$ cat ~/.ssh/deploy_rsa\n-----BEGIN RSA PRIVATE KEY-----\n${rsaBody}\n-----END RSA PRIVATE KEY-----\n`,
  },
  {
    id: "private-key-openssh",
    kinds: ["privatekey"],
    material: opensshBody.split("\n").slice(0, 3),
    token: null,
    text: `-----BEGIN OPENSSH PRIVATE KEY-----\n${opensshBody}\n-----END OPENSSH PRIVATE KEY-----`,
  },
  {
    id: "basic-auth-url",
    kinds: ["basicauth"],
    material: [urlPassword],
    token: null,
    text: `git clone https://deploy:${urlPassword}@git.internal.net/acme/pulse.git`,
  },
  {
    id: "database-url",
    kinds: ["basicauth", "database-connection-string"],
    material: [dbPassword],
    token: null,
    text: `DATABASE_URL=postgres://app:${dbPassword}@db.internal:5432/pulse_prod`,
  },
  {
    id: "authorization-bearer",
    kinds: ["authorization"],
    material: [bearer],
    token: null,
    text: `curl -H "Authorization: Bearer ${bearer}" https://api.internal.net/v1/me`,
  },
  {
    id: "authorization-basic",
    kinds: ["authorization"],
    material: [basicCredentials],
    token: null,
    text: `Authorization: Basic ${basicCredentials}`,
  },
  { id: "env-password", kinds: ["password"], material: [envPassword], token: null, text: `DB_PASSWORD=${envPassword}` },
  {
    id: "env-export-secret",
    kinds: ["secret"],
    material: [envSecret],
    token: null,
    text: `export STRIPE_WEBHOOK_SECRET="${envSecret}"`,
  },
  { id: "env-api-key", kinds: ["key"], material: [apiKey], token: null, text: `MAPS_API_KEY='${apiKey}'` },
  {
    id: "env-quoted-spaces",
    kinds: ["password"],
    material: [quotedPassword],
    token: null,
    text: `PASSWORD="${quotedPassword}"`,
  },
  {
    id: "json-api-key",
    kinds: ["key"],
    material: [jsonApiKey],
    token: null,
    text: `{"service": "maps", "api_key": "${jsonApiKey}", "region": "eu"}`,
  },
  {
    id: "json-client-secret",
    kinds: ["secret"],
    material: [clientSecret],
    token: null,
    text: `{"client_id":"pulse-web","client_secret":"${clientSecret}"}`,
  },
  {
    id: "yaml-password",
    kinds: ["password"],
    material: [yamlPassword],
    token: null,
    text: `database:\n  user: pulse\n  password: ${yamlPassword}\n  host: db.internal`,
  },
];

/** Every secret of the corpus, one block: what a `cat .env` or a long tool output would show. */
export const CORPUS_TEXT = CORPUS.map((s) => s.text).join("\n");

/**
 * Realistic strings that are no secret and must come through unchanged: hashes, ids, paths, words,
 * base64 of ordinary text, code that talks about keys and passwords without holding one.
 */
export const NOT_SECRETS: string[] = [
  "commit 3f5e2c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f",
  "session 08e837c8-2e94-4747-a03b-0a6566c8bc87 resumed",
  "/home/dev/.claude/projects/-tmp-sa-cc-work-cap-headless/08e837c8-2e94-4747-a03b-0a6566c8bc87.jsonl",
  "Refactor the session list so ended sessions sort after live ones, and add a test for it.",
  "SGVsbG8sIHdvcmxkISBUaGlzIGlzIGp1c3QgYmFzZTY0IG9mIGFuIG9yZGluYXJ5IHNlbnRlbmNlLg==",
  "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  "git@github.com:acme/pulse.git",
  "https://github.com/acme/pulse/pull/42#issuecomment-1234567",
  "PWD=/home/dev/work/pulse",
  "interface Login { user: string; password: string; }",
  "const apiKey = process.env.OPENAI_API_KEY;",
  'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
  "export GITHUB_TOKEN=${GITHUB_TOKEN}",
  "max_tokens=4096 input_tokens: 1234 cache_read_tokens=0",
  "Reset your password from the account page, then rotate the API key.",
  "2026-01-03T10:22:41.123Z INFO ingest listening on 127.0.0.1:6820",
  "the monkey passthrough keyboard keys",
  "npm install --save-dev @secretlint/core task-runner disk-usage",
];
