/**
 * A notification channel's URL as the API shows it. Webhook URLs are secrets in their path (Slack's
 * `/services/T…/B…/…`, Discord's `/api/webhooks/<id>/<token>`, an ntfy topic is its own password),
 * so only what tells two channels apart survives: the scheme, the host (with its port) and the last
 * 4 characters of what follows it, e.g. `https://hooks.slack.com/…x9Qz`. User info (`user:pass@`) is
 * dropped. A path too short to hide 8 characters behind the 4 shown keeps none of them.
 */
const SHOWN = 4;
const HIDDEN_AT_LEAST = 8;

export function maskSecretUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not a URL (never stored: the API takes http(s) URLs only): nothing of it can be shown safely.
    return "…";
  }
  const origin = `${url.protocol}//${url.host}`;
  const rest = `${url.pathname}${url.search}${url.hash}`.replace(/^\//, "");
  if (rest === "") return `${origin}/`;
  const tail = rest.length >= SHOWN + HIDDEN_AT_LEAST ? rest.slice(-SHOWN) : "";
  return `${origin}/…${tail}`;
}
