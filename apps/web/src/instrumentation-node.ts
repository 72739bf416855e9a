import { webEnv } from "./lib/env";
import { endStreamsOnShutdown } from "./lib/graceful-shutdown";
import { limitServer } from "./lib/server-limits";
import { tagPeerAddresses } from "./lib/tag-peer-address";

// A bad environment stops the server at boot with a message naming the variable, not at the first request.
try {
  const env = webEnv();
  // The proxy's "loopback only" is about who connected, which only the socket knows.
  tagPeerAddresses();
  // Requests that never finish arriving, silent sockets, targets Next cannot route.
  limitServer();
  // Stopping must not wait for open dashboard tabs' live streams.
  endStreamsOnShutdown();
  console.log(
    `pulse-web: reading sessions from ${env.INGEST_URL}; access ${env.PULSE_TOKEN ? "by token (login form)" : "open on loopback only (PULSE_TOKEN unset)"}`,
  );
} catch (error) {
  console.error(`pulse-web: ${(error as Error).message}`);
  process.exit(1);
}
