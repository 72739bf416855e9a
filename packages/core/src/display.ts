/**
 * What the dashboard's browser code and the CLI show, without zod or the price table:
 * `@pulse/core/display` (a subpath export, like `@pulse/core/agents`).
 */
export { shortSessionId } from "./short-id";
export { ESTIMATE_NOTE, PRICE_TABLE } from "./price-table";
export { NEEDS_YOU_REASONS, needsYou } from "./lifecycle";
