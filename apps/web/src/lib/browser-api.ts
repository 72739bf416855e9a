/** The browser's calls to this dashboard's own /api routes (which read ingest server side). */

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
  /** Ingest (or the dashboard server) could not be reached: the banner case, not a per-action error. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503;
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: "no-store", headers: { accept: "application/json", ...init.headers } });
  } catch {
    throw new ApiError("cannot reach the dashboard server; is it running?", 0);
  }
  if (response.status === 401) {
    // The login cookie expired or the token changed: back to the login form, then here again.
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError((body as { message?: string } | null)?.message ?? `the dashboard server answered ${response.status}`, response.status);
  }
  return body as T;
}
