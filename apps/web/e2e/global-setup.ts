import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { STORAGE_STATE } from "./paths";
import { startStack } from "./stack";

/**
 * Starts the stack once for the run and hands its addresses to the tests through the environment
 * (Playwright workers inherit it). Returns the teardown.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const stack = await startStack({
    postgresUrl: process.env.E2E_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    redisUrl: process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:6379",
    token: `e2e-token-${Math.random().toString(36).slice(2)}`,
    // Long enough that no test's session times out while it runs; the reaper test uses event times in the past.
    staleTimeoutMinutes: 2,
  });
  process.env.E2E_INGEST_URL = stack.ingestUrl;
  process.env.E2E_WEB_URL = stack.webUrl;
  process.env.E2E_WEB_NO_INGEST_URL = stack.webNoIngestUrl;
  process.env.E2E_WEB_NO_TOKEN_URL = stack.webNoTokenUrl;
  process.env.E2E_OPEN_INGEST_URL = stack.openIngestUrl;
  process.env.E2E_WEB_OPEN_URL = stack.webOpenUrl;
  process.env.E2E_TOKEN = stack.token;

  // Log in through the real form endpoint and keep its cookie for every test's browser.
  const login = await fetch(`${stack.webUrl}/api/login`, {
    method: "POST",
    body: new URLSearchParams({ token: stack.token, next: "/" }),
    redirect: "manual",
  });
  const cookie = login.headers.get("set-cookie");
  if (login.status !== 303 || !cookie) {
    await stack.stop();
    throw new Error(`logging in to the dashboard failed: ${login.status} ${await login.text()}`);
  }
  const [pair] = cookie.split(";");
  const [name, value] = pair.split("=");
  mkdirSync(path.dirname(STORAGE_STATE), { recursive: true });
  writeFileSync(
    STORAGE_STATE,
    JSON.stringify({
      cookies: [
        { name, value, domain: "127.0.0.1", path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" },
      ],
      origins: [],
    }),
  );
  return () => stack.stop();
}
