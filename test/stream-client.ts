import { request as httpRequest, type IncomingMessage } from "node:http";
import { waitFor } from "./env";

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** One `GET /v1/stream` connection, parsed as it arrives (the SSE framing, comments kept apart). */
export class StreamClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  /** The last `id:` seen, as an EventSource would keep it. */
  lastId: string | undefined;
  status = 0;
  headers: IncomingMessage["headers"] = {};
  body = "";
  ended = false;
  private readonly req;
  private buffer = "";

  constructor(url: string, headers: Record<string, string> = {}) {
    this.req = httpRequest(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        this.body += chunk;
        if (this.status === 200) this.parse(chunk);
      });
      res.on("end", () => (this.ended = true));
      res.on("error", () => (this.ended = true));
    });
    this.req.on("error", () => (this.ended = true));
    this.req.end();
  }

  private parse(chunk: string): void {
    this.buffer += chunk;
    let cut: number;
    while ((cut = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const event: SseEvent = { event: "message", data: "" };
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
        else if (line.startsWith("id: ")) event.id = this.lastId = line.slice(4);
        else if (line.startsWith("event: ")) event.event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      event.data = data.join("\n");
      if (data.length > 0) this.events.push(event);
    }
  }

  get sessions(): Array<{ id: string; entry: string; status: string; project: string | null }> {
    return this.events
      .filter((e) => e.event === "session")
      .map((e) => ({ ...JSON.parse(e.data), entry: e.id as string }));
  }

  /** Until the response has started (status and headers known). */
  async started(): Promise<this> {
    await waitFor(() => this.status !== 0 || this.ended, { what: "the stream's answer" });
    return this;
  }

  /** Drops the connection, as a network failure would. */
  drop(): void {
    this.req.destroy();
  }
}
