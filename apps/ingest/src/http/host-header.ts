export interface ParsedHost {
  /** Lower-case, without port or trailing dot: "localhost", "127.0.0.1", "[::1]". */
  hostname: string;
  /** hostname:port as a browser's Origin would spell it (default port left out). */
  host: string;
}

/**
 * A Host header (or an Origin's authority) read the way a browser and the WHATWG URL parser read
 * it, so "LOCALHOST.", "127.1" and "0x7f.0.0.1" are the names they stand for. Anything that is not a
 * bare authority (userinfo, a path, spaces) is not a host: null.
 */
export function parseHost(value: string | undefined): ParsedHost | null {
  if (!value || /[\s/\\@?#]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(`http://${value}`);
  } catch {
    return null;
  }
  const hostname = url.hostname.replace(/\.$/, "");
  if (!hostname) return null;
  return { hostname, host: url.port ? `${hostname}:${url.port}` : hostname };
}
