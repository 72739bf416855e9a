/**
 * Pulse issue 8, item 2: without PULSE_TOKEN, ingest and the dashboard answer only this machine.
 * DNS rebinding is played by Chromium itself (its resolver maps a foreign name to 127.0.0.1, as a
 * rebinding DNS server would), and the dashboard's peer check by connecting from this machine's
 * non-loopback address with a Host header that says "localhost".
 */
import { networkInterfaces } from "node:os";
import { expect, test } from "@playwright/test";
import { rawRequest } from "./repo-test-helpers";
import { sendEvents, unique, waitForSession } from "./agent";

const REBOUND = "rebind.example";

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      `--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`,
    ],
  },
});

const openIngest = () => new URL(process.env.E2E_OPEN_INGEST_URL!);
const webOpen = () => new URL(process.env.E2E_WEB_OPEN_URL!);

test("a name rebound to 127.0.0.1 reads nothing from ingest or the dashboard; localhost still does", async ({
  page,
}) => {
  const secret = unique("rebinding-secret");
  await sendEvents([{ session_id: secret, kind: "prompt", detail: "what a rebinding page wants to read" }]);
  await waitForSession(secret, () => true);

  // The control: the same pages by their loopback names show the session.
  const byLocalhost = await page.goto(`http://localhost:${openIngest().port}/v1/sessions/${secret}`);
  expect(byLocalhost?.status()).toBe(200);
  expect(await page.content()).toContain(secret);
  const dashboardByLocalhost = await page.goto(`http://localhost:${webOpen().port}/api/sessions/${secret}`);
  expect(dashboardByLocalhost?.status()).toBe(200);

  for (const path of [`/v1/sessions/${secret}`, "/v1/sessions", "/queues/api/queues", "/queues"]) {
    const response = await page.goto(`http://${REBOUND}:${openIngest().port}${path}`);
    expect([path, response?.status()]).toEqual([path, 403]);
    expect(await page.content()).not.toContain(secret);
  }
  for (const path of ["/", `/api/sessions/${secret}`, "/api/sessions", `/sessions/${secret}`, "/queues/api/queues"]) {
    const response = await page.goto(`http://${REBOUND}:${webOpen().port}${path}`);
    expect([path, response?.status()]).toEqual([path, 403]);
    expect(await page.content()).not.toContain(secret);
  }
});

/** This machine's first non-loopback IPv4 address: another machine's view of it. */
function nonLoopbackAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  throw new Error("this machine has no non-loopback IPv4 address to connect from; the peer check cannot be shown here");
}

test("without a token the dashboard answers only connections from loopback, whatever Host or forwarding headers say", async () => {
  const port = webOpen().port;
  const lan = nonLoopbackAddress();
  const viaLan = `http://${lan}:${port}`;
  const asLocalhost = { host: `localhost:${port}` };
  for (const target of ["/api/sessions", "/", "/queues/api/queues"]) {
    // From loopback, addressed to localhost: open.
    expect([target, (await rawRequest(webOpen().toString(), { target, headers: asLocalhost })).status]).toEqual([
      target,
      200,
    ]);
    // From this machine's LAN address (what another machine's connection looks like): refused, Host: localhost or not.
    for (const headers of [
      asLocalhost,
      { host: `127.0.0.1:${port}` },
      { ...asLocalhost, "x-forwarded-for": "127.0.0.1" },
      { ...asLocalhost, "x-pulse-peer-address": "127.0.0.1" },
      { ...asLocalhost, "X-Pulse-Peer-Address": "::1", "x-real-ip": "127.0.0.1", forwarded: "for=127.0.0.1" },
    ]) {
      const reply = await rawRequest(viaLan, { target, headers, localAddress: lan });
      expect([target, headers, reply.status]).toEqual([target, headers, 403]);
    }
  }
  // The health check stays open to whoever can reach the port (orchestrators).
  expect((await rawRequest(viaLan, { target: "/api/health", headers: asLocalhost, localAddress: lan })).status).toBe(
    200,
  );
  // 127.0.0.2 is loopback too: this machine.
  expect(
    (
      await rawRequest(webOpen().toString(), {
        target: "/api/sessions",
        headers: asLocalhost,
        localAddress: "127.0.0.2",
      })
    ).status,
  ).toBe(200);
});
