/**
 * The notification side of ingest, as the tests drive it directly (settings, channels), and a local
 * HTTP receiver standing in for a webhook service.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const ingestUrl = () => process.env.E2E_INGEST_URL!;
const headers = () => ({ authorization: `Bearer ${process.env.E2E_TOKEN}`, "content-type": "application/json" });

/** The API's default settle time: what a test that changed it puts back. */
export const DEFAULT_SETTLE_SECONDS = 5;

/** `PUT /v1/notifications/settings`: the global settle time the inbox and the tab's notifications read. */
export async function setSettleSeconds(seconds: number): Promise<void> {
  const response = await fetch(`${ingestUrl()}/v1/notifications/settings`, {
    method: "PUT",
    headers: headers(),
    body: JSON.stringify({ settle_seconds: seconds }),
  });
  if (!response.ok) throw new Error(`PUT settings answered ${response.status}: ${await response.text()}`);
}

export async function readSettings(): Promise<{ settle_seconds: number; quiet_hours: unknown }> {
  const response = await fetch(`${ingestUrl()}/v1/notifications/settings`, { headers: headers() });
  if (!response.ok) throw new Error(`GET settings answered ${response.status}`);
  return (await response.json()) as { settle_seconds: number; quiet_hours: unknown };
}

/** Puts the global settings back as the API starts: default settle time, no quiet hours. */
export async function resetSettings(): Promise<void> {
  const response = await fetch(`${ingestUrl()}/v1/notifications/settings`, {
    method: "PUT",
    headers: headers(),
    body: JSON.stringify({ settle_seconds: DEFAULT_SETTLE_SECONDS, quiet_hours: null }),
  });
  if (!response.ok) throw new Error(`PUT settings answered ${response.status}`);
}

export async function deleteChannel(id: string): Promise<void> {
  const response = await fetch(`${ingestUrl()}/v1/notifications/channels/${encodeURIComponent(id)}`, {
    method: "DELETE",
    headers: headers(),
  });
  if (!response.ok && response.status !== 404) throw new Error(`DELETE channel answered ${response.status}`);
}

export async function listChannels(): Promise<{ id: string; name: string; status: string }[]> {
  const response = await fetch(`${ingestUrl()}/v1/notifications/channels`, { headers: headers() });
  if (!response.ok) throw new Error(`GET channels answered ${response.status}`);
  return ((await response.json()) as { channels: { id: string; name: string; status: string }[] }).channels;
}

export interface Receiver {
  url: string;
  /** Bodies received, parsed. */
  received: unknown[];
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => resolve(text));
  });

/** A webhook receiver on a free local port answering `status` to every POST. */
export async function startReceiver(status: number): Promise<Receiver> {
  const received: unknown[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      try {
        received.push(JSON.parse(text));
      } catch {
        received.push(text);
      }
      response.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "receiver broke");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
