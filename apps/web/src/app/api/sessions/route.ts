import type { NextRequest } from "next/server";
import { listSessions } from "@/lib/ingest";
import { relay } from "@/lib/relay";

export const dynamic = "force-dynamic";

/** A page of sessions for the browser; ingest validates the filters and says what is wrong. */
export function GET(request: NextRequest): Promise<Response> {
  const q = request.nextUrl.searchParams;
  const status = q.get("status")?.split(",").filter(Boolean);
  const limit = q.has("limit") ? Number(q.get("limit")) : undefined;
  return relay(() =>
    listSessions(
      { status, project: q.get("project") ?? undefined, source: q.get("source") ?? undefined, q: q.get("q") ?? undefined },
      { limit: Number.isFinite(limit) ? limit : undefined, cursor: q.get("cursor") ?? undefined },
    ),
  );
}
