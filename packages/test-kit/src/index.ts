// One kit for everything that tests Pulse from the outside: Jest (test/), the benchmarks (bench/),
// the Playwright suite (apps/web/e2e) and the image check (scripts/image-check.mjs). CommonJS like
// the other packages, so Jest, Playwright and plain ESM scripts all load the same build.
export { freePort } from "./free-port";
export { waitFor, waitForHttp, type WaitOptions, type WaitForHttpOptions } from "./wait-for";
export { deleteKeysWithPrefix } from "./redis-prefix";
export { createDatabase, databaseUrl, dropDatabase, withAdmin } from "./postgres";
export { stopChild } from "./processes";
export { uniqueId } from "./unique-id";
