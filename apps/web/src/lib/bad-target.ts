/**
 * Set by the server (server-limits.ts) on a request whose target Next cannot route (`OPTIONS *`),
 * after pointing it at `/`; the proxy answers such a request 400. Any value a client sends is removed.
 */
export const BAD_TARGET_HEADER = "x-pulse-bad-request-target";
