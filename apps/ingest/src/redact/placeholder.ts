/** What a secret is replaced with: the kind says which rule found it, never anything of the secret. */
export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Written when redaction itself failed: the string is dropped rather than stored raw. */
export const ERROR_PLACEHOLDER = placeholder("error");

/** Written instead of a payload part nested deeper than the walk goes. */
export const TOO_DEEP_PLACEHOLDER = placeholder("too-deep");
