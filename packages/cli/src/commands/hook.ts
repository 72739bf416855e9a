import type { Command } from "../cli/command";

/** Only for `pulse hook --help`: the hook itself is dispatched in pulse.ts before anything loads. */
export const hookCommand: Command = {
  name: "hook",
  summary: "What installed hooks run: send the agent's hook JSON (stdin) to Pulse; never fails the agent",
  usage: "hook [--agent claude-code|codex|gemini] [PAYLOAD]",
  options: {
    agent: {
      type: "string",
      choices: ["claude-code", "codex", "gemini"],
      valueName: "claude-code|codex|gemini",
      description: "whose hook payload this is (default claude-code)",
    },
  },
  positionals: [0, 1],
  details: `Reads the hook JSON on stdin (Codex's notify program passes it as the last argument: PAYLOAD),
stamps the event time and an idempotency key, writes it to the spool ($PULSE_HOME/spool, one file per
event) and delivers the spool oldest first. Exits 0 whatever happens, within 1 second (later only if
the event is not spooled by then); prints nothing on stdout or stderr, which agents read or show:
problems (ingest unreachable, event refused) go to $PULSE_HOME/hook.log (PULSE_DEBUG=1: stderr too),
and \`pulse doctor\` reports them. When ingest accepts the connection but does not answer, hooks only
spool for a while (10 s, doubling to 60 s) and leave delivery to the watchers and to one background
try per pause.
On a session's first event it starts a detached watcher for the agent's process, which reports the
session's end (end_reason process_exit) when that process goes away without a SessionEnd hook.
PULSE_NO_WATCH=1 disables the watcher; PULSE_AGENT_PID=<pid> names the agent process explicitly.`,
  async run() {
    (require("../hook/run-hook") as typeof import("../hook/run-hook")).runHook(process.argv.slice(3));
    return new Promise<number>(() => {});
  },
};
