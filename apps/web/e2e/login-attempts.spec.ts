/**
 * Guessing the token at the login form: after 10 wrong tokens from one address, that address's
 * logins are refused unchecked, a right token included, while other addresses log in as before.
 * Each test connects from an address of its own in 127.0.0.0/8, so the rest of the run (which logs
 * in from 127.0.0.1) is not held up.
 */
import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { webUrl } from "./ui";

interface LoginReply {
  status: number;
  location: string;
  cookie: string;
}

/** POSTs the login form over a connection from `from` (the socket's address is what the dashboard counts). */
function login(from: string, token: string): Promise<LoginReply> {
  const url = new URL("/api/login", webUrl());
  const body = new URLSearchParams({ token, next: "/settings" }).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: from,
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: String(res.headers.location ?? ""),
            cookie: String(res.headers["set-cookie"] ?? ""),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("ten wrong tokens from one address, and its next login waits, even with the right token", async () => {
  const guesser = "127.0.0.3";
  for (let i = 0; i < 10; i++) {
    const reply = await login(guesser, `guess-${i}`);
    expect([i, reply.status, reply.location, reply.cookie]).toEqual([i, 303, "/login?error=1&next=%2Fsettings", ""]);
  }
  const right = await login(guesser, process.env.E2E_TOKEN!);
  expect(right.status).toBe(303);
  expect(right.location).toMatch(/^\/login\?error=too_many&retry_minutes=(9|10)&next=%2Fsettings$/);
  expect(right.cookie).toBe("");
  // Another address is not held up.
  const other = await login("127.0.0.4", process.env.E2E_TOKEN!);
  expect([other.status, other.location, other.cookie.startsWith("pulse_login=")]).toEqual([303, "/settings", true]);
});

test("a right token forgets the wrong ones before it, and an empty form is no guess", async () => {
  const user = "127.0.0.5";
  for (let i = 0; i < 9; i++) await login(user, `typo-${i}`);
  for (let i = 0; i < 5; i++) await login(user, "");
  expect((await login(user, process.env.E2E_TOKEN!)).cookie).toMatch(/^pulse_login=/);
  for (let i = 0; i < 9; i++) await login(user, `typo-again-${i}`);
  expect((await login(user, process.env.E2E_TOKEN!)).location).toBe("/settings");
});

test("the login form says how long to wait", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`${webUrl()}/login?error=too_many&retry_minutes=7&next=%2F`);
  await expect(page.locator("#login-error")).toHaveText(
    "Too many wrong tokens from this address: try again in 7 minutes.",
  );
  // What the query says is only shown, and only as a number of minutes within the window.
  await page.goto(`${webUrl()}/login?error=too_many&retry_minutes=-99999&next=%2F`);
  await expect(page.locator("#login-error")).toHaveText(
    "Too many wrong tokens from this address: try again in 1 minute.",
  );
  await page.goto(`${webUrl()}/login?error=too_many&retry_minutes=%3Cb%3E&next=%2F`);
  await expect(page.locator("#login-error")).toHaveText(
    "Too many wrong tokens from this address: try again in 10 minutes.",
  );
  await context.close();
});
