import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got. `answered`: the status it managed to send back (null: the sender went away first). */
export interface Received {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** The body's bytes (a Web Push message is encrypted). */
  raw: Buffer;
  answered: number | null;
}

export type Answer = (request: Received) => number | Promise<number>;

/**
 * A local HTTP server standing in for a webhook, Slack, Discord or ntfy: records each request with
 * its arrival time and answers with what `answer` returns (it may hold the answer back).
 */
export async function startReceiver(answer: Answer = () => 200) {
  const received: Received[] = [];
  let respond = answer;
  const server = http.createServer((req, res) => {
    // The sender went away (killed) before the answer: nothing was answered.
    let gone = false;
    res.on("close", () => (gone = !res.writableFinished));
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString("utf8");
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      const entry: Received = { at: Date.now(), path: req.url ?? "", headers: req.headers, body, raw, answered: null };
      received.push(entry);
      const status = await respond(entry);
      if (gone || res.destroyed || req.socket.destroyed) return;
      res.writeHead(status, { "content-type": "text/plain" });
      // A refusal quotes the path it was sent to, as some services do: the sender must not store it.
      res.end(status < 300 ? "ok" : `receiver says no to ${req.url}`, () => {
        entry.answered = status;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests answered 2xx. */
    delivered: () => received.filter((r) => r.answered !== null && r.answered < 300),
    setAnswer(next: Answer) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
