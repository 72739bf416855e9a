/**
 * `@pulse/core/api`: the HTTP contract's schemas (zod). Ingest validates with them and builds
 * /openapi.json from them; everyone else imports their types only (`import type`), never this at
 * run time: the hook path and the browser stay without it.
 */
export * from "./notifications";
export * from "./requests";
export * from "./responses";
export * from "./routes";
export * from "./status-filter";
