import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { isPulseCommand } from "./json-hooks";

/**
 * Whether Codex will run Pulse's hooks. Codex runs a non-managed hook only once the user trusted its
 * exact definition (the startup dialog or /hooks in the TUI; `codex exec` never asks): it stores
 * `[hooks.state."<hooks.json>:<event>:<group>:<handler>"] trusted_hash = "sha256:…"` in config.toml,
 * and any change of the command line makes it "modified" (not run) without a word. Seen on 0.171.
 *
 * The hash is Codex's business (its inputs are not documented and changed before), so this asks
 * Codex itself: `codex app-server` over stdio, `hooks/list` for the directory, as Codex's own TUI
 * does, which answers every hook with `trustStatus` trusted | untrusted | modified. Without a codex
 * binary, config.toml tells at least whether a trust entry exists.
 */
export interface PulseHookTrust {
  /** Codex's key for the hook: `<hooks.json path>:<snake_case event>:<group>:<handler>`. */
  key: string;
  /** Codex's event name (camelCase from app-server, snake_case from config.toml). */
  event: string;
  /** trusted | untrusted | modified (app-server), or recorded | untrusted (config.toml only). */
  status: string;
}

export interface CodexTrustReport {
  /** How it was found out. */
  via: "codex app-server" | "config.toml";
  hooks: PulseHookTrust[];
  /** Why app-server could not be asked, when `via` is config.toml. */
  note?: string;
}

/** `codex` on PATH (what the user runs), or null. */
export function findCodexBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "codex");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const APP_SERVER_TIMEOUT_MS = 10_000;

/** Pulse's hooks as Codex sees them for `cwd`, by asking `codex app-server`. Rejects when it cannot. */
export function listPulseHooksViaAppServer(
  codex: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<PulseHookTrust[]> {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(codex, ["app-server"], { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
    let buffer = "";
    let settled = false;
    const finish = (error: Error | null, hooks?: PulseHookTrust[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin?.end();
      // It exits once stdin closes; a stuck one is not left behind.
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"), 2000).unref();
      if (error) reject(error);
      else resolve(hooks!);
    };
    const timer = setTimeout(
      () => finish(new Error(`codex app-server did not answer within ${APP_SERVER_TIMEOUT_MS / 1000} s`)),
      APP_SERVER_TIMEOUT_MS,
    );
    const send = (message: unknown) => child.stdin?.write(JSON.stringify(message) + "\n");
    child.on("error", (error) => finish(error));
    child.on("exit", (code) => finish(new Error(`codex app-server exited (${code}) before answering`)));
    child.stdin?.on("error", () => {}); // EPIPE when it exits first: reported by "exit"
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        // Read defensively: any field may be missing or of another type.
        let message: { id?: unknown; error?: { message?: unknown }; result?: { data?: unknown } } | null;
        try {
          message = JSON.parse(line);
        } catch {
          continue; // not JSON-RPC
        }
        if (message?.id === 1) {
          if (message.error)
            return finish(new Error(`codex app-server refused initialize: ${message.error.message ?? "error"}`));
          send({ method: "initialized" });
          send({ method: "hooks/list", id: 2, params: { cwds: [cwd] } });
        } else if (message?.id === 2) {
          if (message.error)
            return finish(new Error(`codex app-server: hooks/list failed: ${message.error.message ?? "error"}`));
          const hooks: PulseHookTrust[] = [];
          const data = message.result?.data;
          for (const entry of Array.isArray(data) ? data : []) {
            for (const hook of Array.isArray(entry?.hooks) ? entry.hooks : []) {
              if (isPulseCommand(hook?.command) && typeof hook.key === "string")
                hooks.push({
                  key: hook.key,
                  event: String(hook.eventName ?? ""),
                  status: String(hook.trustStatus ?? "unknown"),
                });
            }
          }
          finish(null, hooks);
        }
      }
    });
    send({ method: "initialize", id: 1, params: { clientInfo: { name: "pulse-doctor", version: "1" } } });
  });
}

const snakeCase = (event: string): string => event.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/**
 * Without Codex: the keys Pulse's entries in `hooksJsonPath` would have, and whether config.toml holds
 * a trust entry for each. A missing entry means "not trusted" for sure; a present one may still be
 * stale (only Codex can tell).
 */
export function pulseHooksFromConfigToml(
  hooksJsonPath: string,
  hooksJsonText: string,
  configTomlText: string,
): PulseHookTrust[] {
  let settings: { hooks?: Record<string, unknown> } | null;
  try {
    settings = JSON.parse(hooksJsonText);
  } catch {
    return [];
  }
  const trusted = new Set<string>();
  const header = /^\s*\[\s*hooks\s*\.\s*state\s*\.\s*"((?:[^"\\]|\\.)*)"\s*\]\s*$/;
  let current: string | null = null;
  for (const line of configTomlText.split("\n")) {
    const match = header.exec(line);
    if (match) current = JSON.parse(`"${match[1]}"`);
    else if (/^\s*\[/.test(line)) current = null;
    else if (current && /^\s*trusted_hash\s*=\s*"sha256:[0-9a-f]+"/.test(line)) trusted.add(current);
  }
  const hooks: PulseHookTrust[] = [];
  for (const [event, groups] of Object.entries(settings?.hooks ?? {})) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, g: number) => {
      (Array.isArray(group?.hooks) ? (group.hooks as Array<{ command?: unknown } | null>) : []).forEach(
        (handler, h: number) => {
          if (!isPulseCommand(handler?.command)) return;
          const key = `${hooksJsonPath}:${snakeCase(event)}:${g}:${h}`;
          hooks.push({ key, event: snakeCase(event), status: trusted.has(key) ? "recorded" : "untrusted" });
        },
      );
    });
  }
  return hooks;
}

/** Pulse's Codex hooks for `cwd` and whether Codex trusts them: from Codex when it can be asked. */
export async function codexHookTrust(
  codexHome: string,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CodexTrustReport> {
  const codex = findCodexBinary(env);
  let note = "codex is not on PATH";
  if (codex) {
    try {
      return { via: "codex app-server", hooks: await listPulseHooksViaAppServer(codex, cwd, env) };
    } catch (error) {
      note = (error as Error).message;
    }
  }
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return "";
    }
  };
  const hooksJson = join(codexHome, "hooks.json");
  return {
    via: "config.toml",
    hooks: pulseHooksFromConfigToml(hooksJson, read(hooksJson), read(join(codexHome, "config.toml"))),
    note,
  };
}
