import type { NextRequest } from "next/server";
import { getStats } from "@/lib/ingest";
import { relay } from "@/lib/relay";

export const dynamic = "force-dynamic";

/** KPI figures; `since` is the browser's local midnight, so "today" is the viewer's day. */
export function GET(request: NextRequest): Promise<Response> {
  return relay(() => getStats(request.nextUrl.searchParams.get("since") ?? undefined));
}
