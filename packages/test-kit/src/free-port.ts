import { createServer } from "node:net";

/**
 * A TCP port nobody listens on right now (the OS picks it). Another process may take it before the
 * caller binds it; on a shared machine that is rare enough, and the caller's listen then fails loudly.
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
