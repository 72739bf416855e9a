/**
 * Plays the agent side in the tests: posts Claude Code hook inputs (the shared fixtures, with the
 * test's own session id and folder) and generic events to the real ingest, and reads sessions back.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES_DIR } from "./paths";

const ingestUrl = () => process.env.E2E_INGEST_URL!;
const auth = () => ({ authorization: `Bearer ${process.env.E2E_TOKEN}` });

/** A name no other test (or run) uses, so tests can share one stack. */
export const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

export type ClaudeCodeHook =
  | "session-start"
  | "user-prompt-submit"
  | "pre-tool-use"
  | "notification-permission"
  | "stop"
  | "session-end"
  | "session-end-clear"
  | "session-start-after-clear";

export interface AgentSession {
  id: string;
  project: string;
}

/** A Claude Code session in folder /home/dev/<project>: Pulse names the project after the folder. */
export function claudeCodeSession(label: string, project = unique(`e2e-${label}`)): AgentSession {
  return { id: unique(`s-${label}`), project };
}

async function post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${ingestUrl()}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth(), ...headers },
    body: JSON.stringify(body),
  });
  if (response.status !== 202)
    throw new Error(`POST ${pathname} answered ${response.status}: ${await response.text()}`);
}

/** Posts one hook input as Claude Code would; `time` stamps when it happened (default: now). */
export async function sendHook(
  session: AgentSession,
  hook: ClaudeCodeHook,
  options: { time?: Date; prompt?: string } = {},
): Promise<void> {
  const fixture = JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${hook}.json`), "utf8")) as Record<string, unknown>;
  const input = {
    ...fixture,
    session_id: session.id,
    cwd: `/home/dev/${session.project}`,
    ...(options.prompt ? { prompt: options.prompt } : {}),
  };
  await post("/v1/hooks/claude-code", input, options.time ? { "x-pulse-event-time": options.time.toISOString() } : {});
}

export interface GenericEvent {
  session_id: string;
  kind: string;
  source?: string;
  project?: string;
  time?: string;
  [field: string]: unknown;
}

/** Up to 1000 events in one request (the API's batch limit). */
export async function sendEvents(events: GenericEvent[]): Promise<void> {
  await post(
    "/v1/events",
    events.map((e) => ({ source: "e2e", ...e })),
  );
}

export interface SessionJson {
  id: string;
  status: string;
  waiting_reason: string | null;
  end_reason: string | null;
  project: string | null;
  event_count: number;
  waiting_since: string | null;
  waited_ms: number;
}

export async function readSession(id: string): Promise<SessionJson | null> {
  const response = await fetch(`${ingestUrl()}/v1/sessions/${encodeURIComponent(id)}`, { headers: auth() });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET session answered ${response.status}`);
  return (await response.json()) as SessionJson;
}

/** Waits until ingest's worker has applied what was posted (the page is not involved). */
export async function waitForSession(
  id: string,
  until: (s: SessionJson) => boolean,
  timeoutMs = 10_000,
): Promise<SessionJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const session = await readSession(id);
    if (session && until(session)) return session;
    if (Date.now() > deadline)
      throw new Error(`session ${id} did not reach the expected state; last seen: ${JSON.stringify(session)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function readStats(): Promise<{ active: number; waiting: number; total: number }> {
  const response = await fetch(`${ingestUrl()}/v1/stats`, { headers: auth() });
  if (!response.ok) throw new Error(`GET stats answered ${response.status}`);
  return (await response.json()) as { active: number; waiting: number; total: number };
}
