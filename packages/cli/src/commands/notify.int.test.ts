/**
 * `pulse notify test`, `pulse notify channels` and doctor's notifications check, against the real
 * stack (ingest and the reaper's delivery worker) and two local webhook receivers: one that takes
 * every delivery, one that answers 500.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startStack, type TestStack } from "../../../../test/stack";
import { assertBuilt, runCli, Sandbox } from "../test-support/cli-process";
import { postJson } from "../test-support/ingest-control";

let stack: TestStack;
let sandbox: Sandbox;
const received: { path: string; body: any }[] = [];
let receiver: Server;
let receiverUrl: string;

/** The broken receiver's path is the channel's secret: it must never be printed. */
const BROKEN_SECRET = "brokenPathSecret-1234abcd";

beforeAll(async () => {
  assertBuilt();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url?.includes(BROKEN_SECRET)) return void res.writeHead(500).end("boom");
      received.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startStack({ label: "clinotify" });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: sandbox.env({ PULSE_URL: stack.url, ...extra }) });

describe("pulse notify", () => {
  it("channels and test say so when there is no channel (test: exit 1, nothing was tested)", async () => {
    expect(await cli(["notify", "channels"])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^No notification channels\./),
    });
    const test = await cli(["notify", "test"]);
    expect(test).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^No enabled notification channel to test\./),
    });
  });

  it("channels lists each channel's name, type, masked URL and status", async () => {
    for (const [name, url] of [
      ["desk", `${receiverUrl}/hooks/desk-receiver-path`],
      ["broken", `${receiverUrl}/hooks/${BROKEN_SECRET}`],
    ])
      expect((await postJson(stack.url, "/v1/notifications/channels", { name, type: "webhook", url })).status).toBe(
        201,
      );
    const result = await cli(["notify", "channels"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+URL\s+STATUS\s+LAST ERROR$/);
    expect(lines[1]).toMatch(new RegExp(`^desk\\s+webhook\\s+${receiverUrl}/…path\\s+untested$`));
    expect(lines[2]).toMatch(new RegExp(`^broken\\s+webhook\\s+${receiverUrl}/…abcd\\s+untested$`));
    expect(result.stdout).not.toContain(BROKEN_SECRET);
  });

  it("test sends one test to each channel and prints how each went; exit 1 when one failed", async () => {
    const result = await cli(["notify", "test"]);
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      "✓ desk: delivered",
      "✗ broken: failed: HTTP 500 Internal Server Error: boom",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(BROKEN_SECRET);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: "/hooks/desk-receiver-path", body: { type: "test", session: null } });
  });

  it("test --channel sends to that one only (exit 0 when it delivered); an unknown name is exit 5", async () => {
    const one = await cli(["notify", "test", "--channel", "desk"]);
    expect(one).toMatchObject({ code: 0, stdout: "✓ desk: delivered\n" });
    expect(received).toHaveLength(2);
    const json = await cli(["notify", "test", "--channel", "desk", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { channel: expect.stringMatching(/^ch_/), name: "desk", status: "delivered", error: null },
    ]);
    const unknown = await cli(["notify", "test", "--channel", "nobody"]);
    expect(unknown).toMatchObject({ code: 5, stderr: 'pulse: no notification channel with id or name "nobody"\n' });
    expect((await cli(["notify", "test", "--channel", " "])).code).toBe(2);
  });

  it("channels shows the failing channel with its last error; --json answers the API's channels", async () => {
    const result = await cli(["notify", "channels"]);
    expect(result.stdout).toMatch(/^desk\s+webhook\s+\S+\s+ok$/m);
    expect(result.stdout).toMatch(
      /^broken\s+webhook\s+\S+\s+failing since (just now|\S+ ago)\s+HTTP 500 Internal Server Error: boom$/m,
    );
    const json = JSON.parse((await cli(["notify", "channels", "--json"])).stdout);
    expect(json.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ["desk", "ok"],
      ["broken", "failing"],
    ]);
  });

  it("doctor warns about failing channels with their last error, and does not fail for them", async () => {
    await cli(["hooks", "install"]);
    const result = await cli(["doctor"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^! 1 notification channel\(s\) failing: broken \(since (just now|\S+ ago)\): HTTP 500 Internal Server Error: boom$/m,
    );
    expect(result.stdout).toContain(
      "→ fix the channel's URL or token (or remove it), then `pulse notify test --channel NAME`",
    );
    const report = JSON.parse((await cli(["doctor", "--json"])).stdout);
    expect(report.checks).toContainEqual(expect.objectContaining({ name: "notifications", level: "warn" }));

    const { channels } = (await (await fetch(`${stack.url}/v1/notifications/channels`)).json()) as {
      channels: { id: string; name: string }[];
    };
    const broken = channels.find((c) => c.name === "broken")!;
    expect((await fetch(`${stack.url}/v1/notifications/channels/${broken.id}`, { method: "DELETE" })).status).toBe(200);
    const clean = await cli(["doctor"]);
    expect(clean.stdout).toContain("✓ 1 notification channel(s), none failing");
    expect(clean.stdout.trimEnd().split("\n").pop()).toBe("All checks passed.");
  });

  it("with ingest down, doctor says so and runs no notifications check; notify says ingest cannot be reached (exit 3)", async () => {
    const down = { PULSE_URL: "http://127.0.0.1:1" };
    const doctor = await cli(["doctor"], down);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).not.toContain("notification");
    const test = await cli(["notify", "test"], down);
    expect(test.code).toBe(3);
    expect(test.stderr).toMatch(/^pulse: cannot reach ingest at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  });
});
