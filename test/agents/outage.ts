import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createIngestApp } from "../../apps/ingest/src/app";
import { loadIngestConfig } from "../../apps/ingest/src/config";
import type { TestStack } from "../stack";

export type DoorMode = "forward" | "hang" | "refuse";

/**
 * What the agents' hooks see as Pulse (`PULSE_URL`): a TCP front door to the stack's ingest that a
 * test can switch to "hang" (accepts connections and never answers: a hung ingest) or "refuse"
 * (stops listening: ingest down) and back to "forward", on the same port.
 */
export class FrontDoor {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private mode: DoorMode = "forward";
  port = 0;

  private constructor(private readonly target: URL) {}

  static async open(targetUrl: string): Promise<FrontDoor> {
    const door = new FrontDoor(new URL(targetUrl));
    await door.listen(0);
    return door;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((socket) => {
      this.track(socket);
      if (this.mode === "hang") return; // accepted, never answered
      const upstream = connect({ host: this.target.hostname, port: Number(this.target.port) });
      this.track(upstream);
      socket.pipe(upstream).pipe(socket);
      const drop = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on("error", drop);
      upstream.on("error", drop);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }

  /** Switches mode; open connections are cut so nothing of the old mode lingers. */
  async set(mode: DoorMode): Promise<number> {
    if (mode === this.mode) return Date.now();
    const wasListening = this.mode !== "refuse";
    this.mode = mode;
    for (const s of this.sockets) s.destroy();
    if (mode === "refuse" && wasListening) await this.closeServer();
    if (mode !== "refuse" && !wasListening) await this.listen(this.port);
    return Date.now();
  }

  private closeServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await this.closeServer();
  }
}

/** Stops the stack's ingest (the process going down): in-flight requests finish, then the port is free. */
export async function stopIngest(stack: TestStack): Promise<number> {
  await stack.ingest.close();
  return Date.now();
}

/** Starts ingest again on the stack's port, on its database and Redis prefix (a restart). */
export async function startIngest(stack: TestStack, env: Record<string, string> = {}): Promise<number> {
  const vars = {
    DATABASE_URL: stack.env.databaseUrl,
    REDIS_URL: stack.env.redisUrl,
    PULSE_REDIS_PREFIX: stack.env.redisPrefix,
    ...env,
  };
  const ingest = await createIngestApp(loadIngestConfig(vars), {
    logger: pino({ level: process.env.PULSE_TEST_LOG ?? "silent" }),
  });
  await ingest.app.listen({ host: "127.0.0.1", port: Number(new URL(stack.url).port) });
  // stack.stop() closes whichever ingest is current.
  stack.ingest = ingest;
  return Date.now();
}

/** Stops the events worker and the reaper (the reaper process going down). */
export async function stopWorkers(stack: TestStack): Promise<number> {
  await stack.reaper?.stop();
  stack.reaper = null;
  return Date.now();
}
