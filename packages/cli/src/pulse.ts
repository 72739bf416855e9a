#!/usr/bin/env node
// The `pulse` executable. `pulse hook` runs on every agent event (and `pulse status` in every prompt),
// so each is dispatched before anything else is loaded: each branch requires only its own modules
// (CommonJS require is lazy and synchronous).
const command = process.argv[2];
if (command === "hook" && !process.argv.includes("--help") && !process.argv.includes("-h")) {
  (require("./hook/run-hook") as typeof import("./hook/run-hook")).runHook(process.argv.slice(3));
} else if (command === "status" && !process.argv.includes("--help") && !process.argv.includes("-h")) {
  // Shell prompts and tmux status bars run it every few seconds: it reads a cache file, hand-parses
  // its two options and loads nothing of the CLI framework (status.ts).
  (require("./commands/status") as typeof import("./commands/status")).runStatus(process.argv.slice(3));
} else if (command === "watch") {
  (require("./watch/watcher") as typeof import("./watch/watcher")).runWatcher(process.argv.slice(3));
} else {
  (require("./cli/main") as typeof import("./cli/main")).main(process.argv.slice(2));
}
