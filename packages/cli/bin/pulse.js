#!/usr/bin/env node
// The `pulse` bin npm links at install time, which is before `npm run build` has produced dist/.
try {
  require.resolve("../dist/pulse.js");
} catch {
  process.stderr.write("pulse: the CLI is not built yet; run `npm run build` in the Pulse checkout\n");
  process.exit(1);
}
require("../dist/pulse.js");
