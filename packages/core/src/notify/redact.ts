/**
 * A channel's URL and token are secrets (a Slack or Discord webhook URL is its own credential, an
 * ntfy topic is a password): error texts that may quote them (fetch's causes, a receiver's answer)
 * go through this before they are stored or logged.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  const parts = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    parts.add(secret);
    try {
      const url = new URL(secret);
      // The parts of a URL that carry its secret, also when quoted without the rest.
      if (url.pathname.length > 1) parts.add(url.pathname);
      if (url.search.length > 1) parts.add(url.search.slice(1));
      if (url.password) parts.add(url.password);
      parts.add(url.href);
    } catch {
      // not a URL: the whole text is the secret
    }
  }
  let out = text;
  // Longest first, so a URL is replaced whole before its path is.
  for (const part of [...parts].sort((a, b) => b.length - a.length))
    if (part.length >= 4) out = out.split(part).join("[redacted]");
  return out;
}
