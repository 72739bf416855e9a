import { createServer, type Server, Socket } from "node:net";

/**
 * A TCP relay in front of the dashboard that a test can cut, as a network drop would: every open
 * connection is reset and new ones are refused until it is restored.
 */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private cut = false;
  private server: Server | null = null;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.cut) {
        client.resetAndDestroy();
        return;
      }
      const upstream = new Socket();
      this.sockets.add(client);
      this.sockets.add(upstream);
      const forget = () => {
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.on("error", forget).on("close", forget);
      upstream.on("error", forget).on("close", forget);
      upstream.connect(this.targetPort, "127.0.0.1", () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Resets every connection and refuses new ones. */
  drop(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cut = false;
  }

  async stop(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
