/** Quotes a word for sh only when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command an agent's hook runs: this node binary on this CLI's built script, never npx (whose
 * start-up alone costs hundreds of milliseconds). NODE_EXTRA_CA_CERTS is cleared for it because
 * node parses that bundle at start-up (~40 ms here) and the hook talks plain HTTP to a local ingest;
 * an https PULSE_URL with a private CA uses PULSE_CA_FILE instead.
 */
export function pulseHookCommand(script: string, hookArgs: string[] = [], nodePath: string = process.execPath): string {
  return ["NODE_EXTRA_CA_CERTS=", shellQuote(nodePath), shellQuote(script), "hook", ...hookArgs.map(shellQuote)].join(
    " ",
  );
}

/** The built `pulse.js` this process runs from (resolved through npm's bin symlink by node). */
export function pulseScriptPath(): string {
  const { join } = require("node:path") as typeof import("node:path");
  return join(__dirname, "..", "pulse.js");
}
