import type { Command } from "../cli/command";
import { EXIT } from "../cli/errors";

export const otelEnvCommand: Command = {
  name: "otel env",
  summary: "Print the environment that points Claude Code's OpenTelemetry export at Pulse (issue 5)",
  usage: "otel env",
  options: {},
  async run() {
    return EXIT.FAILURE;
  },
};
