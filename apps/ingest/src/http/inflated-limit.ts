/**
 * How large a compressed body may become once inflated, by route. The limit on what is sent (1 MiB)
 * says nothing about what a gzip body inflates to: 15 KB of gzip made 15 MB of JSON on /v1/events,
 * and 50 of them took ingest to 1.6 GB. Every route but OTLP takes what an uncompressed body may be;
 * OTLP exporters batch hundreds of records and compress them, so their routes get more room.
 */
export const INFLATED_LIMIT_BYTES = 1024 * 1024;
export const OTLP_INFLATED_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Bodies inflated at once, and waiting; past that 429 (OTLP exporters and the CLI retry it). A limit
 * bounds one body, this bounds them together: 4 × 8 MiB, where 50 concurrent bombs would each hold
 * their route's limit.
 */
export const INFLATE_CONCURRENCY = 4;
export const INFLATE_QUEUE = 256;

const OTLP_ROUTES = new Set(["/v1/logs", "/v1/traces", "/v1/metrics"]);

/** The limit for a route, by the pattern Fastify matched (unmatched paths get the smallest). */
export const inflatedLimitFor = (routeUrl: string | undefined): number =>
  routeUrl !== undefined && OTLP_ROUTES.has(routeUrl) ? OTLP_INFLATED_LIMIT_BYTES : INFLATED_LIMIT_BYTES;
