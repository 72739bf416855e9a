import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { freePort } from "./free-port";
import { waitFor, waitForHttp } from "./wait-for";

describe("waitFor", () => {
  it("returns the first value that is neither undefined nor false, retrying checks that throw", async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error("not yet");
        return calls < 3 ? false : { calls };
      },
      { intervalMs: 1 },
    );
    expect(value).toEqual({ calls: 3 });
  });

  it("names what it waited for and the check's last error when it gives up", async () => {
    await expect(
      waitFor(() => Promise.reject(new Error("connection refused")), { timeoutMs: 20, intervalMs: 5, what: "ingest" }),
    ).rejects.toThrow(/timed out after 20 ms waiting for ingest: connection refused/);
  });
});

describe("waitForHttp", () => {
  it("resolves once the URL answers 2xx", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(hits < 3 ? 503 : 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, { intervalMs: 5 });
      expect(hits).toBe(3);
    } finally {
      server.close();
    }
  });

  it("fails at once when the process that should answer exits", async () => {
    const child = spawn(process.execPath, ["-e", "process.exit(3)"]);
    await new Promise((resolve) => child.once("exit", resolve));
    await expect(
      waitForHttp(`http://127.0.0.1:${await freePort()}/`, {
        child,
        what: "web",
        hint: "see web.log",
        timeoutMs: 60_000,
      }),
    ).rejects.toThrow("web exited (3) before it was ready; see web.log");
  });
});
