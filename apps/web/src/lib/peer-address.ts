import { BlockList, isIP } from "node:net";

/**
 * The request header that carries the TCP peer's address to the proxy, set by the server itself
 * (tag-peer-address.ts) over whatever a client sent under that name. Next's own `x-forwarded-for`
 * cannot serve: `next start` keeps a value the client sent (it only fills it in when absent).
 */
export const PEER_HEADER = "x-pulse-peer-address";

/** `10.0.0.0/8`, `192.0.2.7`, `fd00::/8`: what PULSE_LOCAL_PEERS may list. */
export function parsePeerRange(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address, prefixText, extra] = entry.split("/");
  const version = isIP(address);
  if (extra !== undefined || version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

const cache = new Map<string, BlockList>();

/** Loopback (127.0.0.0/8, ::1, and their IPv4-mapped forms) plus the ranges the operator listed. */
function localPeers(extra: readonly string[]): BlockList {
  const key = extra.join(",");
  let list = cache.get(key);
  if (!list) {
    list = new BlockList();
    list.addSubnet("127.0.0.0", 8, "ipv4");
    list.addAddress("::1", "ipv6");
    for (const entry of extra) {
      const range = parsePeerRange(entry);
      if (range) list.addSubnet(range.address, range.prefix, range.family);
    }
    cache.set(key, list);
  }
  return list;
}

/**
 * Whether the connection comes from this machine. Only loopback counts by default: the machine's
 * own LAN address is reachable from other machines too, and a browser here that uses it is not
 * addressing `localhost` anyway. A missing header (a request that reached the proxy without passing
 * the server's tagging) counts as remote: refused, not waved through.
 */
export function isLocalPeer(address: string | null, extra: readonly string[] = []): boolean {
  if (!address) return false;
  const version = isIP(address);
  return version !== 0 && localPeers(extra).check(address, version === 4 ? "ipv4" : "ipv6");
}
