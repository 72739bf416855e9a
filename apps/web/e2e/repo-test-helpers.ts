import { createRequire } from "node:module";

// The repository's shared test helpers (test/*.ts) are CommonJS TypeScript: Node's ESM loader, which
// runs these specs, cannot see their named exports, but require (transpiled by Playwright) can.
const require = createRequire(import.meta.url);

export type { RawReply } from "../../../test/raw-http";
export const { rawRequest } = require("../../../test/raw-http.ts") as typeof import("../../../test/raw-http");
export const { pathTricks } = require("../../../test/path-tricks.ts") as typeof import("../../../test/path-tricks");
