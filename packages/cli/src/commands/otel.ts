import { shellQuote } from "../agents/hook-command";
import { codexHome } from "../agents/codex";
import { tomlString } from "../agents/toml-lines";
import { flag, stringOption } from "../cli/args";
import { type Command, type CommandContext, JSON_OPTION } from "../cli/command";
import { CliError, EXIT } from "../cli/errors";
import { print, printJson } from "../cli/output";
import { describeBadUrl } from "../env/client-config";

/**
 * Claude Code's OpenTelemetry export pointed at Pulse: logs (its api_request events carry tokens and
 * cost) over OTLP/HTTP JSON; the SDK appends /v1/logs to the endpoint.
 */
export function claudeCodeOtelEnv(url: string, token: string | null): Record<string, string> {
  const env: Record<string, string> = {
    CLAUDE_CODE_ENABLE_TELEMETRY: "1",
    OTEL_LOGS_EXPORTER: "otlp",
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_EXPORTER_OTLP_ENDPOINT: url,
  };
  if (token) env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer ${token}`;
  return env;
}

/**
 * Gemini CLI's telemetry pointed at Pulse (OTLP/HTTP; Gemini appends v1/logs, v1/traces, v1/metrics
 * to the endpoint and sends JSON). Its OpenTelemetry SDK reads the token header from the standard
 * OTEL_EXPORTER_OTLP_HEADERS. The same as `telemetry` in ~/.gemini/settings.json.
 */
export function geminiOtelEnv(url: string, token: string | null): Record<string, string> {
  const env: Record<string, string> = {
    GEMINI_TELEMETRY_ENABLED: "true",
    GEMINI_TELEMETRY_TARGET: "local",
    GEMINI_TELEMETRY_OTLP_ENDPOINT: url,
    GEMINI_TELEMETRY_OTLP_PROTOCOL: "http",
  };
  if (token) env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer ${token}`;
  return env;
}

/** Codex's `[otel]` table (config.toml): OTLP/HTTP JSON log export to Pulse's /v1/logs. */
export function codexOtelToml(url: string, token: string | null): string {
  const headers = token ? `, headers = { "Authorization" = ${tomlString(`Bearer ${token}`)} }` : "";
  return [
    "[otel]",
    `exporter = { otlp-http = { endpoint = ${tomlString(`${url}/v1/logs`)}, protocol = "json"${headers} } }`,
  ].join("\n");
}

function renderEnv(env: Record<string, string>, shell: string): string[] {
  return Object.entries(env).map(([name, value]) =>
    shell === "fish" ? `set -gx ${name} ${shellQuote(value)}` : `export ${name}=${shellQuote(value)}`,
  );
}

export const otelEnvCommand: Command = {
  name: "otel env",
  summary: "Print the settings that point Claude Code's, Codex's or Gemini CLI's OpenTelemetry export at Pulse",
  usage: "otel env [--agent claude-code|codex|gemini] [--shell sh|fish] [--json]",
  options: {
    agent: {
      type: "string",
      choices: ["claude-code", "codex", "gemini"],
      valueName: "claude-code|codex|gemini",
      description: "whose export (default claude-code)",
    },
    shell: {
      type: "string",
      choices: ["sh", "fish"],
      valueName: "sh|fish",
      description: "syntax of the environment lines (default sh: bash, zsh…)",
    },
    ...JSON_OPTION,
  },
  details: `Claude Code: environment lines, e.g. \`eval "$(pulse otel env)"\` before starting claude, or put
them in your shell profile (or the "env" block of ~/.claude/settings.json).
Codex: an [otel] table to add to $CODEX_HOME/config.toml (default ~/.codex).
Gemini CLI: environment lines (GEMINI_TELEMETRY_*), like Claude Code's.
Uses PULSE_URL and PULSE_TOKEN (or $PULSE_HOME/config.json). With telemetry, Pulse shows tokens and cost.`,
  async run(args, ctx: CommandContext) {
    const bad = describeBadUrl(ctx.config.url);
    if (bad) throw new CliError(bad, EXIT.USAGE);
    const agent = stringOption(args, "agent") ?? "claude-code";
    if (agent === "codex") {
      const toml = codexOtelToml(ctx.config.url, ctx.config.token);
      if (flag(args, "json")) printJson({ agent, file: `${codexHome(process.env)}/config.toml`, toml });
      else print(`# add to ${codexHome(process.env)}/config.toml (replacing any [otel] table there)\n${toml}`);
      return EXIT.OK;
    }
    const env =
      agent === "gemini"
        ? geminiOtelEnv(ctx.config.url, ctx.config.token)
        : claudeCodeOtelEnv(ctx.config.url, ctx.config.token);
    if (flag(args, "json")) printJson({ agent, env });
    else for (const line of renderEnv(env, stringOption(args, "shell") ?? "sh")) print(line);
    return EXIT.OK;
  },
};
