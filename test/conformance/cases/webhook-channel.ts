/**
 * A generic webhook channel on a conformance kit's stack, pointed at a receiver in this process: what
 * a user's own webhook endpoint would record of the notifications a real agent's waits caused.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotificationPayload } from "../../../packages/core/src/api/notifications";

export interface ReceivedDelivery {
  at: number;
  idempotencyKey: string | undefined;
  body: NotificationPayload;
}

export class WebhookChannel {
  private constructor(
    readonly received: ReceivedDelivery[],
    private readonly server: Server,
    private readonly ingestUrl: string,
    readonly id: string,
  ) {}

  /** Starts a receiver answering 200 and adds a channel sending it the given reasons after `settleSeconds`. */
  static async open(
    ingestUrl: string,
    options: { name: string; reasons: string[]; settleSeconds: number; notifyResolved?: boolean },
  ): Promise<WebhookChannel> {
    const received: ReceivedDelivery[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          at: Date.now(),
          idempotencyKey: req.headers["idempotency-key"] as string | undefined,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as NotificationPayload,
        });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    const response = await fetch(`${ingestUrl}/v1/notifications/channels`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: options.name,
        type: "webhook",
        url: `http://127.0.0.1:${port}/hook/${options.name}`,
        reasons: options.reasons,
        settle_seconds: options.settleSeconds,
        notify_resolved: options.notifyResolved ?? false,
      }),
    });
    if (response.status !== 201) throw new Error(`channel not created: ${response.status} ${await response.text()}`);
    const channel = (await response.json()) as { id: string };
    return new WebhookChannel(received, server, ingestUrl, channel.id);
  }

  /** What this session's waits caused, of one type. */
  of(sessionId: string, type: NotificationPayload["type"]): ReceivedDelivery[] {
    return this.received.filter((d) => d.body.type === type && d.body.session?.id === sessionId);
  }

  async close(): Promise<void> {
    await fetch(`${this.ingestUrl}/v1/notifications/channels/${this.id}`, { method: "DELETE" }).catch(() => undefined);
    this.server.close();
    this.server.closeAllConnections();
  }
}
