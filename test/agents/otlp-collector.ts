import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One OTLP log record, flattened: its event name and string/int attributes. */
export interface CollectedLog {
  name: string;
  attributes: Record<string, string>;
}

/**
 * A tiny OTLP/HTTP JSON logs receiver (not Pulse): lets a test read what an agent reports about
 * itself, e.g. Claude Code's own `hook_execution_complete` records with each hook's duration.
 */
export class OtlpCollector {
  readonly logs: CollectedLog[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpCollector> {
    // The handler reads `collector`, declared below: requests only come once it is listening.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url?.startsWith("/v1/logs")) collector.take(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const collector = new OtlpCollector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return collector;
  }

  private take(text: string): void {
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      return; // protobuf or garbage: not what the test asked for
    }
    for (const rl of body?.resourceLogs ?? [])
      for (const sl of rl?.scopeLogs ?? [])
        for (const record of sl?.logRecords ?? []) {
          const attributes: Record<string, string> = {};
          for (const a of record?.attributes ?? [])
            attributes[a.key] = String(
              a.value?.stringValue ?? a.value?.intValue ?? a.value?.doubleValue ?? a.value?.boolValue ?? "",
            );
          this.logs.push({ name: String(record?.body?.stringValue ?? attributes["event.name"] ?? ""), attributes });
        }
  }

  /** Claude Code's own measure of each hook run: `{event, ms}` per hook_execution_complete. */
  hookDurations(sessionId?: string): Array<{ event: string; ms: number }> {
    return this.logs
      .filter(
        (l) => /hook_execution_complete$/.test(l.name) && (!sessionId || l.attributes["session.id"] === sessionId),
      )
      .map((l) => ({ event: l.attributes.hook_event ?? "?", ms: Number(l.attributes.total_duration_ms) }))
      .filter((h) => Number.isFinite(h.ms));
  }

  clear(): void {
    this.logs.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
