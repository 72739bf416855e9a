import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { webUrl } from "./ui";

test.describe("with PULSE_TOKEN set", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the dashboard asks for the token, refuses a wrong one, and returns to the page asked for", async ({ page }) => {
    await page.goto(`${webUrl()}/?status=waiting`);
    await expect(page).toHaveURL(/\/login\?next=/);
    const token = page.getByLabel("Token");
    await token.fill("not-the-token");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.locator("#login-error")).toContainText("not the one");
    await page.getByLabel("Token").fill(process.env.E2E_TOKEN!);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${webUrl()}/?status=waiting`);
    await expect(page.getByLabel("Status")).toHaveValue("waiting");
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "pulse_login");
    expect(session?.httpOnly).toBe(true);
    expect(session?.value).not.toContain(process.env.E2E_TOKEN!);

    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto(`${webUrl()}/`);
    await expect(page).toHaveURL(/\/login/);
  });

  test("the dashboard's API and stream refuse a browser that has not logged in", async ({ request }) => {
    for (const path of ["/api/sessions", "/api/stream", "/api/stats", "/queues"]) {
      const response = await request.get(`${webUrl()}${path}`);
      expect(response.status(), path).toBe(401);
      expect((await response.json()).error).toBe("unauthorized");
    }
    expect((await request.get(`${webUrl()}/api/health`)).status()).toBe(200);
  });
});

test("the queue board is linked from the dashboard and served through it with the token", async ({ page, request }) => {
  // Ingest itself wants the bearer token for /queues.
  expect((await request.get(`${process.env.E2E_INGEST_URL}/queues`)).status()).toBe(401);
  await page.goto(`${webUrl()}/`);
  await page.getByRole("link", { name: "Queues" }).click();
  await expect(page).toHaveURL(/\/queues/);
  await expect(page.getByText("events", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("reaper", { exact: true }).first()).toBeVisible();
});

test("when ingest is unreachable the page says so instead of going blank", async ({ page }) => {
  await page.goto(`${process.env.E2E_WEB_NO_INGEST_URL}/`);
  const banner = page.getByTestId("ingest-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("cannot reach the ingest API");
  await expect(page.getByRole("heading", { name: "Concurrent sessions, last 24 h" })).toBeVisible();
  await expect(page.getByTestId("empty-state")).toHaveCount(0);
  await page.goto(`${process.env.E2E_WEB_NO_INGEST_URL}/sessions/anything`);
  await expect(page.getByTestId("ingest-banner")).toBeVisible();
});

test("a dashboard without the token ingest requires says so, instead of sending the viewer to a login", async ({
  page,
  request,
}) => {
  await page.goto(`${process.env.E2E_WEB_NO_TOKEN_URL}/`);
  await expect(page).toHaveURL(`${process.env.E2E_WEB_NO_TOKEN_URL}/`);
  await expect(page.getByTestId("ingest-banner")).toContainText(
    "ingest requires a token but the dashboard has no PULSE_TOKEN",
  );
  const response = await request.get(`${process.env.E2E_WEB_NO_TOKEN_URL}/api/sessions`);
  expect(response.status()).toBe(502);
  expect((await response.json()).error).toBe("ingest_unauthorized");
});

test("without a token the dashboard answers only requests addressed to loopback", async () => {
  const url = new URL(process.env.E2E_WEB_NO_INGEST_URL!);
  const statusFor = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: "/api/sessions", headers: { host } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
  expect(await statusFor("pulse.example.com")).toBe(403);
  expect(await statusFor(`localhost:${url.port}`)).not.toBe(403);
  expect(await statusFor(`127.0.0.1:${url.port}`)).not.toBe(403);
});
