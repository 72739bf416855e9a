/**
 * Names whose value is a credential: `.env` variables (`GITHUB_TOKEN`, `DB_PASSWORD`), JSON and YAML
 * keys (`"api_key"`, `clientSecret`), HTTP headers (`Authorization`, `X-Api-Key`). The kind is what
 * the placeholder says: `[REDACTED:token]`.
 */
export type CredentialKind = "token" | "secret" | "key" | "password" | "authorization" | "cookie";

/** The last word of a name that makes it a credential. */
const LAST_WORD: Record<string, CredentialKind> = {
  token: "token",
  secret: "secret",
  key: "key",
  apikey: "key",
  password: "password",
  passwd: "password",
  pass: "password",
  credential: "secret",
  credentials: "secret",
  authorization: "authorization",
  cookie: "cookie",
};

/** One-word names that are a credential on their own; `key` and `pass` alone mean too many other things. */
const ALONE = new Set([
  "token",
  "secret",
  "apikey",
  "password",
  "passwd",
  "credential",
  "credentials",
  "authorization",
  "cookie",
]);

/** Words that make any name holding them a credential (`SECRET_KEY_BASE`), unless its last word says it is about one. */
const ANYWHERE: Record<string, CredentialKind> = { secret: "secret", password: "password", passwd: "password" };
const ABOUT_ONE = new Set([
  "name",
  "names",
  "id",
  "ids",
  "arn",
  "file",
  "path",
  "url",
  "length",
  "count",
  "type",
  "enabled",
  "present",
  "required",
  "ref",
  "version",
  "policy",
  "prompt",
  "hint",
]);

/** PWD is the shell's working directory, and `*_tokens` are counts: neither is a credential. */
export function credentialKind(name: string): CredentialKind | null {
  if (name.length < 3 || name.length > 120) return null;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((word) => word !== "");
  const last = words[words.length - 1];
  if (last === undefined) return null;
  const kind = LAST_WORD[last];
  if (kind && (words.length > 1 || ALONE.has(last))) return kind;
  if (ABOUT_ONE.has(last)) return null;
  for (const word of words) if (ANYWHERE[word]) return ANYWHERE[word];
  return null;
}

/**
 * Values next to a credential name that are not themselves a secret: empty, a variable reference
 * (`$TOKEN`, `${TOKEN}`, `%TOKEN%`, `{{ token }}`), a placeholder (`<your-key>`, `***`), a type in
 * source code (`password: string`), a lookup (`process.env.API_KEY`).
 */
export function isNotASecret(value: string): boolean {
  return NOT_A_SECRET.test(value);
}

const NOT_A_SECRET = new RegExp(
  [
    String.raw`^\s*$`,
    String.raw`^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$`,
    String.raw`^%[A-Za-z_][A-Za-z0-9_]*%$`,
    String.raw`^\{\{[^{}]*\}\}$`,
    String.raw`^<[^<>]*>$`,
    String.raw`^[*xX.•]+$`,
    String.raw`^\[REDACTED:[A-Za-z0-9_.-]{1,64}\]`,
    String.raw`^(?:string|str|number|int|integer|boolean|bool|bytes|null|none|undefined|true|false|nil|any|object|optional|secretstr)[?;,]?$`,
    String.raw`^(?:process\.env|os\.environ|os\.getenv|import\.meta\.env|System\.getenv|ENV\[)`,
  ].join("|"),
  "i",
);
