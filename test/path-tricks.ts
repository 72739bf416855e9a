/**
 * Spellings of a path that are not it, for checking that no router, proxy or decoder along the way
 * maps one of them to a route without the route's checks: percent-encoding of each character (upper
 * and lower case hex), double encoding, overlong UTF-8 (percent-encoded and raw), full-width letters,
 * case, //, /./, .., trailing dots and slashes, ;-suffixes, backslashes, NUL/space/tab, absolute-form
 * targets and the health checks as a springboard. Sent byte for byte with test/raw-http.ts.
 */

/** The characters of `path` written differently, one position at a time: what a router may decode. */
export function encodings(path: string): string[] {
  const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  const overlong2 = (c: string) => {
    const code = c.charCodeAt(0);
    return `%${(0xc0 | (code >> 6)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
  };
  const overlong3 = (c: string) => {
    const code = c.charCodeAt(0);
    return `%E0%${(0x80 | (code >> 6)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
  };
  const fullWidth = (c: string) => encodeURIComponent(String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));
  const at = (i: number, replacement: string) => path.slice(0, i) + replacement + path.slice(i + 1);
  const out: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    out.push(
      at(i, hex(c)),
      at(i, hex(c).toLowerCase()),
      at(i, `%25${hex(c).slice(1)}`),
      at(i, overlong2(c)),
      at(i, overlong3(c)),
    );
    if (c !== "/") out.push(at(i, fullWidth(c)), at(i, c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
    // Raw bytes of the overlong form, not percent-encoded (the socket sends them as latin1).
    if (i === 1) out.push(at(i, String.fromCharCode(0xc0 | (c.charCodeAt(0) >> 6), 0x80 | (c.charCodeAt(0) & 0x3f))));
  }
  out.push(path.replace(/[^/]/g, hex), path.replace(/./g, hex), path.toUpperCase());
  return out;
}

/** Spellings of `path` that are not it, but that some router, proxy or file system would treat as it. */
export function structuralTricks(path: string, openPaths: readonly string[]): string[] {
  const [, first, ...rest] = path.split("/");
  const tail = rest.join("/");
  // Paths that need no token, as a springboard: /healthz/../v1/sessions.
  const springboards = openPaths.flatMap((open) => [
    `${open}/../${first}/${tail}`,
    `${open}/..%2F${first}%2F${tail.replace(/\//g, "%2F")}`,
    `${open};/../${first}/${tail}`,
    `${open}%00/../${first}/${tail}`,
    `${open}/%2e%2e/${first}/${tail}`,
  ]);
  return [
    `/${path}`,
    `//${first}/${tail}`,
    `/${first}//${tail}`,
    `${path}//`,
    `/./${first}/${tail}`,
    `/${first}/./${tail}`,
    `/x/../${first}/${tail}`,
    `/${first}/x/../${tail}`,
    `/%2e/${first}/${tail}`,
    `/x/%2e%2e/${first}/${tail}`,
    `/x/%2E%2E%2F${first}/${tail}`,
    `/x/..%2f${first}/${tail}`,
    ...springboards,
    `${path}.`,
    `${path}..`,
    `/${first}./${tail}`,
    `${path}/`,
    `${path}%20`,
    `${path}%00`,
    `${path}%09`,
    `/${first};x/${tail}`,
    `${path};`,
    `${path};x=1`,
    `${path};/`,
    `${path}%3Bx`,
    `\\${first}\\${tail.replace(/\//g, "\\")}`,
    `/${first}\\${tail.replace(/\//g, "\\")}`,
    `%5C${first}%5C${tail.replace(/\//g, "%5C")}`,
    `/${first}%5C${tail}`,
    `${path}?`,
    `${path}#`,
    `${path}%3F`,
    `${path}%23x`,
    `${path}?x=..%2F..`,
    `http://127.0.0.1${path}`,
    `http://evil.example${path}`,
    `/${first}%2F${tail}`,
    `/${first}%2f${tail}`,
    `/%${first}/${tail}`,
    `*`,
  ];
}

/** Every trick for `path`, each once; `openPaths` are the routes anyone may call (the springboards). */
export function pathTricks(path: string, openPaths: readonly string[]): string[] {
  return [...new Set([...encodings(path), ...structuralTricks(path, openPaths)])];
}
