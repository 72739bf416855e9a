/** What a secret is replaced with: the kind says which rule found it, never anything of the secret. */
export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** A value that already is a placeholder (Pulse's own, or one the client put there) is left as it is. */
export const PLACEHOLDER_RE = /^\[REDACTED:[A-Za-z0-9_.-]{1,64}\]$/;

/** Written when redaction itself failed: the string is dropped rather than stored raw. */
export const ERROR_PLACEHOLDER = placeholder("error");

/** Written instead of a payload part nested deeper than the walk goes. */
export const TOO_DEEP_PLACEHOLDER = placeholder("too-deep");
